namespace P2PSync.Node.Tests.Storage;

/// <summary>Reproducible byte ids (space ids, invite ids, author keys) for store tests.</summary>
internal static class StoreIds
{
    public static byte[] Space(int seed) => Bytes(seed, 16);

    public static byte[] Invite(int seed) => Bytes(1_000 + seed, 16);

    public static byte[] Author(int seed) => Bytes(2_000 + seed, 32);

    public static byte[] Bytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
