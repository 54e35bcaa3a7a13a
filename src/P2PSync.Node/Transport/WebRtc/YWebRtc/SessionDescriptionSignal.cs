namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary><c>{type:"offer"|"answer", sdp}</c>: the whole description, sent once set locally (trickle on).</summary>
internal sealed record SessionDescriptionSignal(bool IsOffer, string Sdp) : PeerSignal
{
    public string Type => IsOffer ? "offer" : "answer";
}
