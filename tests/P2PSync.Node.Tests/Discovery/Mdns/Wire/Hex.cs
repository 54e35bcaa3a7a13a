namespace P2PSync.Node.Tests.Discovery.Mdns.Wire;

/// <summary>Golden packets are written as hex with spaces and line breaks for readability.</summary>
internal static class Hex
{
    public static byte[] Parse(string text) =>
        Convert.FromHexString(string.Concat(text.Where(c => !char.IsWhiteSpace(c))));

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
