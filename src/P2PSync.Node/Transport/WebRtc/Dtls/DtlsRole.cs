namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>Which half of the DTLS handshake this side plays; decided by the SDP <c>a=setup</c> exchange.</summary>
internal enum DtlsRole
{
    /// <summary>Sends the ClientHello (<c>a=setup:active</c>); opens even SCTP stream ids.</summary>
    Client,

    /// <summary>Waits for the ClientHello (<c>a=setup:passive</c>); opens odd SCTP stream ids.</summary>
    Server,
}
