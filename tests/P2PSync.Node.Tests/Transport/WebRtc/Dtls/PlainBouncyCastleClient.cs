using Org.BouncyCastle.Crypto.Tls;
using P2PSync.Node.Transport.WebRtc.Dtls;
using TlsCertificateChain = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

/// <summary>
/// A DTLS 1.2 client made only of BouncyCastle's stock parts (its own AES-GCM record cipher, not
/// ours): an independent peer that shows our record cipher and key derivation are wire-compatible.
/// </summary>
internal sealed class PlainBouncyCastleClient(DtlsCertificate certificate) : DefaultTlsClient
{
    public TlsCertificateChain? ServerCertificate { get; private set; }

    public DtlsCertificate Certificate { get; } = certificate;

    public TlsContext Context => mContext;

    public override ProtocolVersion ClientVersion => ProtocolVersion.DTLSv12;

    public override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    public override int[] GetCipherSuites() => [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    private sealed class Authentication(PlainBouncyCastleClient owner) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsCertificateChain serverCertificate) => owner.ServerCertificate = serverCertificate;

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) => new DefaultTlsSignerCredentials(
            owner.mContext,
            owner.Certificate.Chain,
            owner.Certificate.PrivateKey,
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }
}
