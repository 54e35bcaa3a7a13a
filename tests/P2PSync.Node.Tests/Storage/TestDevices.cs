using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Storage;

/// <summary>Reproducible DeviceIds for tests (random public keys from a seed; no libsodium needed).</summary>
internal static class TestDevices
{
    public static DeviceId Make(int seed)
    {
        var key = new byte[DeviceId.KeyLength];
        new Random(seed).NextBytes(key);
        return DeviceId.FromPublicKey(key);
    }

    /// <summary>Two distinct devices, the one whose text sorts ordinally lower first.</summary>
    public static (DeviceId Lower, DeviceId Higher) OrderedPair(int seedA, int seedB)
    {
        var a = Make(seedA);
        var b = Make(seedB);
        return string.CompareOrdinal(a.ToString(), b.ToString()) < 0 ? (a, b) : (b, a);
    }
}
