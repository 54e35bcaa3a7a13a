using System.Text;

namespace P2PSync.Crdt.Positions;

/// <summary>
/// The boundary of the snapshot and position decoders: whatever goes wrong while reading
/// untrusted bytes surfaces as <see cref="UpdateFormatException"/> and nothing else.
/// </summary>
internal static class PositionDecoding
{
    public static T Guard<T>(ReadOnlyMemory<byte> bytes, Func<ReadOnlyMemory<byte>, T> decode, string what)
    {
        try
        {
            return decode(bytes);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or OverflowException
                                      or InvalidOperationException or DecoderFallbackException or FormatException)
        {
            // The readers validate every read; reaching here means a check is missing somewhere, and
            // the caller should still see a format error rather than a crash.
            throw new UpdateFormatException($"Malformed {what}.", e);
        }
    }
}
