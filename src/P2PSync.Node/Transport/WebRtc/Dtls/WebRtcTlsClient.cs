using System.Collections;
using Org.BouncyCastle.Crypto.Tls;

namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// Our DTLS client as BouncyCastle 1.8.10 sees it: DTLS 1.2 only, one suite
/// (ECDHE-ECDSA-AES128-GCM-SHA256), extended master secret required (BC offers the extension by
/// itself), the server's certificate checked against its SDP fingerprint, our own record cipher.
/// </summary>
internal sealed class WebRtcTlsClient : DefaultTlsClient
{
    private readonly DtlsEndpointSettings _settings;

    public WebRtcTlsClient(DtlsEndpointSettings settings)
    {
        _settings = settings;
    }

    /// <summary>The handshake's context (after it ends: suite and EMS flag).</summary>
    public TlsContext Context => mContext;

    public override ProtocolVersion ClientVersion => ProtocolVersion.DTLSv12;

    public override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    public override int[] GetCipherSuites() => new[] { CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 };

    public override bool RequiresExtendedMasterSecret() => true;

    // werift needs a negotiated SRTP profile even on a data-only session (UseSrtpNegotiation says why).
    public override IDictionary GetClientExtensions() => UseSrtpNegotiation.AddOffer(base.GetClientExtensions());

    public override int GetHandshakeTimeoutMillis() => _settings.BouncyCastleTimeoutMillis;

    public override TlsAuthentication GetAuthentication() => new WebRtcClientAuthentication(
        _settings.Verifier,
        () => new DefaultTlsSignerCredentials(
            mContext,
            _settings.Certificate.Chain,
            _settings.Certificate.PrivateKey,
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa)));

    public override TlsCipher GetCipher()
    {
        var cipher = new AesGcmRecordCipher(DtlsRecordKeys.Derive(mContext), isServer: false, _settings.Precheck);
        _settings.Cipher = cipher;
        return cipher;
    }

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription) =>
        _settings.Alerts.OnReceived(alertLevel, alertDescription);

    public override void NotifyAlertRaised(byte alertLevel, byte alertDescription, string message, Exception cause) =>
        _settings.Alerts.OnRaised(alertLevel, alertDescription);
}
