namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>What our BouncyCastle server and client subclasses share: who we are, whom we accept, where alerts and keys go.</summary>
internal sealed class DtlsEndpointSettings
{
    public DtlsEndpointSettings(DtlsCertificate certificate, DtlsPeerVerifier verifier, DtlsRecordPrecheck precheck, DtlsAlertLog alerts, TimeSpan handshakeTimeout)
    {
        Certificate = certificate;
        Verifier = verifier;
        Precheck = precheck;
        Alerts = alerts;
        HandshakeTimeout = handshakeTimeout;
    }

    public DtlsCertificate Certificate { get; }

    public DtlsPeerVerifier Verifier { get; }

    public DtlsRecordPrecheck Precheck { get; }

    public DtlsAlertLog Alerts { get; }

    public TimeSpan HandshakeTimeout { get; }

    /// <summary>The record cipher BC asked for, so the session can dispose of it.</summary>
    public AesGcmRecordCipher? Cipher { get; set; }

    /// <summary>
    /// BC's own handshake limit: a backstop behind the session's timer (which ends the handshake
    /// with a clear TimedOut reason first). BC's default of 0 would wait forever.
    /// </summary>
    public int BouncyCastleTimeoutMillis => (int)Math.Min(int.MaxValue, (HandshakeTimeout + TimeSpan.FromSeconds(5)).TotalMilliseconds);
}
