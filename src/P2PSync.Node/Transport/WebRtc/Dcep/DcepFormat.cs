namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>Builds the one exception type the DCEP codec throws, always tagged with the DCEP layer.</summary>
internal static class DcepFormat
{
    public static WebRtcFormatException Error(WebRtcFormatProblem problem, string message) =>
        new(WebRtcLayer.Dcep, problem, message);
}
