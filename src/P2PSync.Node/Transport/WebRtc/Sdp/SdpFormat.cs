namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>Builds the one exception type the SDP codecs throw, always tagged with the SDP layer.</summary>
internal static class SdpFormat
{
    public static WebRtcFormatException Error(WebRtcFormatProblem problem, string message) =>
        new(WebRtcLayer.Sdp, problem, message);

    /// <summary>The same refusal with the 1-based line number in front, so a person can find the line.</summary>
    public static WebRtcFormatException AtLine(WebRtcFormatException error, int lineNumber) =>
        Error(error.Problem, $"line {lineNumber}: {Detail(error)}");

    /// <summary>
    /// A refusal from a codec the SDP package calls (the candidate grammar lives in Ice) re-tagged
    /// with the SDP layer, so whoever hands us a description or a trickle message sees one layer.
    /// </summary>
    public static WebRtcFormatException Retag(WebRtcFormatException error) =>
        error.Layer == WebRtcLayer.Sdp ? error : Error(error.Problem, Detail(error));

    /// <summary>The message without its "Layer: " prefix, so re-tagging does not stack prefixes.</summary>
    private static string Detail(WebRtcFormatException error)
    {
        var prefix = $"{error.Layer}: ";
        return error.Message.StartsWith(prefix, StringComparison.Ordinal) ? error.Message[prefix.Length..] : error.Message;
    }
}
