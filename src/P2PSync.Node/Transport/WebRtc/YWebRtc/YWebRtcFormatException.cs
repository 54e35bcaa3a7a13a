using P2PSync.Protocol.YProtocols;

namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>
/// A y-webrtc signalling payload (lib0 "any" bytes, the sealed AES-GCM frame, the announce/signal
/// JSON) that our codecs refuse. The only exception they throw for bad input: the room member
/// counts the payload and drops it, as y-webrtc itself ignores what it cannot read.
/// </summary>
internal sealed class YWebRtcFormatException : FormatException
{
    public YWebRtcFormatException(YWebRtcFormatProblem problem, string message)
        : base($"y-webrtc: {message}")
    {
        Problem = problem;
    }

    public YWebRtcFormatException(YWebRtcFormatProblem problem, string message, Exception inner)
        : base($"y-webrtc: {message}", inner)
    {
        Problem = problem;
    }

    public YWebRtcFormatProblem Problem { get; }

    /// <summary>
    /// Wraps a failure of Protocol's lib0 reader, which y-webrtc's codecs share, so callers still
    /// see only this type and the same problem kinds.
    /// </summary>
    public static YWebRtcFormatException FromLib0(YProtocolFormatException ex) =>
        new(ex.Problem switch
        {
            Lib0FormatProblem.Truncated => YWebRtcFormatProblem.Truncated,
            Lib0FormatProblem.TooLarge => YWebRtcFormatProblem.TooLarge,
            _ => YWebRtcFormatProblem.Malformed,
        }, ex.Message, ex);
}
