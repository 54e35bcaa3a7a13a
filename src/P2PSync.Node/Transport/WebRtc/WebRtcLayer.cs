namespace P2PSync.Node.Transport.WebRtc;

/// <summary>Which part of the WebRTC stack read the bytes that were refused.</summary>
internal enum WebRtcLayer
{
    Stun,
    Ice,
    Dtls,
    Sctp,
    Dcep,
    Sdp,
}
