using Org.BouncyCastle.Crypto.Tls;
using TlsCertificateChain = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>The client's half of authentication: check the server's certificate, answer its certificate request with ours.</summary>
internal sealed class WebRtcClientAuthentication : TlsAuthentication
{
    private readonly DtlsPeerVerifier _verifier;
    private readonly Func<TlsCredentials> _ourCredentials;

    public WebRtcClientAuthentication(DtlsPeerVerifier verifier, Func<TlsCredentials> ourCredentials)
    {
        _verifier = verifier;
        _ourCredentials = ourCredentials;
    }

    public void NotifyServerCertificate(TlsCertificateChain serverCertificate) => _verifier.Check(serverCertificate);

    // WebRTC servers always ask (the fingerprint check needs our certificate); we always answer.
    public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) => _ourCredentials();
}
