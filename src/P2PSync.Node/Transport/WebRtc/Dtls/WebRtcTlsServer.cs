using System.Collections;
using Org.BouncyCastle.Crypto.Tls;
using TlsCertificateChain = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// Our DTLS server as BouncyCastle 1.8.10 sees it (configuration from docs/dev/webrtc-notes.md §2.2):
/// one suite (ECDHE-ECDSA-AES128-GCM-SHA256), extended master secret required, a certificate
/// request so the client must show the certificate its SDP fingerprint names, and our own record cipher.
/// </summary>
internal sealed class WebRtcTlsServer : DefaultTlsServer
{
    private readonly DtlsEndpointSettings _settings;
    private int? _srtpProfile;

    public WebRtcTlsServer(DtlsEndpointSettings settings)
    {
        _settings = settings;
    }

    /// <summary>The handshake's context (after it ends: suite and EMS flag).</summary>
    public TlsContext Context => mContext;

    // DTLS 1.0 stays acceptable as the hello's record version (feff); GCM itself needs 1.2, so
    // offering only 0xC02B means a 1.0-only client finds no suite and the handshake fails.
    protected override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv10;

    protected override ProtocolVersion MaximumVersion => ProtocolVersion.DTLSv12;

    public override bool RequiresExtendedMasterSecret() => true;

    public override void ProcessClientExtensions(IDictionary clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        _srtpProfile = UseSrtpNegotiation.Choose(clientExtensions);
    }

    // werift needs use_srtp echoed even on a data-only session (UseSrtpNegotiation says why).
    public override IDictionary GetServerExtensions() =>
        _srtpProfile is { } profile ? UseSrtpNegotiation.AddEcho(base.GetServerExtensions(), profile) : base.GetServerExtensions();

    public override int GetHandshakeTimeoutMillis() => _settings.BouncyCastleTimeoutMillis;

    // Without a request Chromium sends no certificate and there is nothing to check the fingerprint
    // against. DTLS 1.2 also needs the signature list: BC fails with internal_error if it is null.
    public override CertificateRequest GetCertificateRequest() => new(
        new[] { ClientCertificateType.ecdsa_sign },
        new ArrayList { new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa) },
        null);

    public override void NotifyClientCertificate(TlsCertificateChain clientCertificate) =>
        _settings.Verifier.Check(clientCertificate);

    public override TlsCipher GetCipher()
    {
        var cipher = new AesGcmRecordCipher(DtlsRecordKeys.Derive(mContext), isServer: true, _settings.Precheck);
        _settings.Cipher = cipher;
        return cipher;
    }

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription) =>
        _settings.Alerts.OnReceived(alertLevel, alertDescription);

    public override void NotifyAlertRaised(byte alertLevel, byte alertDescription, string message, Exception cause) =>
        _settings.Alerts.OnRaised(alertLevel, alertDescription);

    protected override int[] GetCipherSuites() => new[] { CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 };

    protected override TlsSignerCredentials GetECDsaSignerCredentials() => new DefaultTlsSignerCredentials(
        mContext,
        _settings.Certificate.Chain,
        _settings.Certificate.PrivateKey,
        new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
}
