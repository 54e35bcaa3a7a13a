namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>
/// <c>{type:"renegotiate"}</c> or <c>{type:"transceiverRequest"}</c>: simple-peer asks the initiator
/// to renegotiate for media. A data-only peer has nothing to renegotiate: read, then ignored.
/// </summary>
internal sealed record RenegotiationSignal(string Kind) : PeerSignal;
