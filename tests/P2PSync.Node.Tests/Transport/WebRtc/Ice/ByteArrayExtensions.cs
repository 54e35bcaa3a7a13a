namespace P2PSync.Node.Tests.Transport.WebRtc.Ice;

/// <summary>Lets a test tweak a fresh array inline and keep using it.</summary>
internal static class ByteArrayExtensions
{
    public static byte[] Also(this byte[] bytes, Action<byte[]> change)
    {
        change(bytes);
        return bytes;
    }
}
