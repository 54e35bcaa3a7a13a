namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>The value of an SDP <c>a=setup</c> attribute (RFC 4145, RFC 8842).</summary>
internal enum DtlsSetup
{
    /// <summary><c>active</c>: this endpoint starts the handshake (DTLS client).</summary>
    Active,

    /// <summary><c>passive</c>: this endpoint waits for the handshake (DTLS server).</summary>
    Passive,

    /// <summary><c>actpass</c>: either; only legal in an offer.</summary>
    ActPass,
}
