namespace P2PSync.Node.Transport.WebRtc;

/// <summary>
/// Bytes or text from the network that a WebRTC codec refuses (STUN, SCTP, DCEP, SDP, candidate
/// lines). The only exception the codecs throw for bad input; state machines catch it, count the
/// datagram and drop it. A <see cref="FormatException"/> because the input, not this node, is at fault.
/// </summary>
internal sealed class WebRtcFormatException : FormatException
{
    public WebRtcFormatException(WebRtcLayer layer, WebRtcFormatProblem problem, string message)
        : base($"{layer}: {message}")
    {
        Layer = layer;
        Problem = problem;
    }

    public WebRtcLayer Layer { get; }

    public WebRtcFormatProblem Problem { get; }
}
