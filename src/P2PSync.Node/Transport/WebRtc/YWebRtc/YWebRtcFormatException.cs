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
}
