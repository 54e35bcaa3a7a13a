namespace P2PSync.Relay.Tests.Mailbox;

/// <summary>Topics and "sealed" envelopes for tests: random-looking bytes from a seeded generator.</summary>
internal static class TestBytes
{
    public static byte[] Topic(int seed) => Random(seed, 32);

    public static byte[] Random(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
