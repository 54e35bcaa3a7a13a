namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>The value of <c>a=setup</c> (RFC 8842, RFC 4145): who starts the DTLS handshake.</summary>
internal enum SdpSetupRole
{
    /// <summary>"actpass": the offerer lets the answerer choose (what every offer says).</summary>
    ActPass,

    /// <summary>"active": this side is the DTLS client.</summary>
    Active,

    /// <summary>"passive": this side is the DTLS server.</summary>
    Passive,

    /// <summary>"holdconn": no connection yet; we cannot answer that.</summary>
    HoldConn,
}
