namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>
/// Splits the protocols that share one UDP socket by the first byte alone (RFC 7983 §7, with the
/// RFC 9443 ranges). Cheap on purpose: it runs on every datagram before any parser does.
/// </summary>
internal static class DatagramDemux
{
    public static DatagramKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return DatagramKind.Unknown;
        }

        return datagram[0] switch
        {
            <= 3 => DatagramKind.Stun,
            >= 16 and <= 19 => DatagramKind.Zrtp,
            >= 20 and <= 63 => DatagramKind.Dtls,
            >= 64 and <= 79 => DatagramKind.TurnChannel,
            >= 128 and <= 191 => DatagramKind.Rtp,
            _ => DatagramKind.Unknown,
        };
    }
}
