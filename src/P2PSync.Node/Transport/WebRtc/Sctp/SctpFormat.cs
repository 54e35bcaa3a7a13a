namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>Builds the one exception type the SCTP codec throws, always tagged with the SCTP layer.</summary>
internal static class SctpFormat
{
    public static WebRtcFormatException Error(WebRtcFormatProblem problem, string message) =>
        new(WebRtcLayer.Sctp, problem, message);

    /// <summary>Throws <see cref="WebRtcFormatProblem.Truncated"/> unless <paramref name="value"/> has at least <paramref name="needed"/> bytes.</summary>
    public static void Require(ReadOnlySpan<byte> value, int needed, string what)
    {
        if (value.Length < needed)
        {
            throw Error(WebRtcFormatProblem.Truncated, $"{what} needs {needed} bytes, has {value.Length}");
        }
    }

    /// <summary>Lengths in SCTP exclude padding; everything starts on a 4-byte boundary.</summary>
    public static int Pad4(int length) => (length + 3) & ~3;
}
