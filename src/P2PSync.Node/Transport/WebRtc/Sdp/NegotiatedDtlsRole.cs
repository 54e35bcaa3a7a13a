namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>Our DTLS role as offer/answer settled it (notes §2.3). The client opens even stream ids, the server odd ones.</summary>
internal enum NegotiatedDtlsRole
{
    Client,
    Server,
}
