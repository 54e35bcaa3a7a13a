using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using TlsCertificateChain = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// The self-signed ECDSA P-256 X.509 v3 certificate this node shows in DTLS handshakes. WebRTC
/// needs no CA: the peer trusts it because its SHA-256 <see cref="Fingerprint"/> travelled in our
/// signed/sealed SDP. One per node run or per peer connection.
/// </summary>
internal sealed class DtlsCertificate
{
    // Chromium and werift issue WebRTC certificates valid for about a month, starting a day early so
    // that a peer whose clock is slightly behind ours does not see a certificate "from the future".
    private static readonly TimeSpan ValidBefore = TimeSpan.FromDays(1);
    private static readonly TimeSpan ValidAfter = TimeSpan.FromDays(30);

    private readonly byte[] _der;

    private DtlsCertificate(X509Certificate certificate, AsymmetricKeyParameter privateKey)
    {
        _der = certificate.GetEncoded();
        PrivateKey = privateKey;
        Chain = new TlsCertificateChain(new[] { certificate.CertificateStructure });
        NotBefore = new DateTimeOffset(certificate.NotBefore, TimeSpan.Zero);
        NotAfter = new DateTimeOffset(certificate.NotAfter, TimeSpan.Zero);
        Fingerprint = DtlsFingerprint.Sha256Of(_der);
    }

    /// <summary>The certificate as BouncyCastle's TLS layer sends it (a chain of one).</summary>
    public TlsCertificateChain Chain { get; }

    /// <summary>The ECDSA P-256 private key that signs our handshake.</summary>
    public AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>DER encoding: the bytes the fingerprint hashes.</summary>
    public ReadOnlySpan<byte> Der => _der;

    /// <summary>SHA-256 of <see cref="Der"/>, for our <c>a=fingerprint</c> line.</summary>
    public DtlsFingerprint Fingerprint { get; }

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter { get; }

    /// <summary>Makes a fresh key pair and certificate, valid from a day before <paramref name="time"/>'s now for 30 days.</summary>
    public static DtlsCertificate Generate(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var random = new SecureRandom();
        var keyGenerator = new ECKeyPairGenerator();
        keyGenerator.Init(new ECKeyGenerationParameters(X9ObjectIdentifiers.Prime256v1, random));
        var keys = keyGenerator.GenerateKeyPair();

        // The name carries no meaning (nobody checks it); "WebRTC" is what browsers use.
        var name = new X509Name("CN=WebRTC");
        var now = time.GetUtcNow().UtcDateTime;
        var generator = new X509V3CertificateGenerator();

        // A positive serial of at most 64 bits: random so two certificates of one node never share one.
        generator.SetSerialNumber(new BigInteger(63, random).Add(BigInteger.One));
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore(now - ValidBefore);
        generator.SetNotAfter(now + ValidAfter);
        generator.SetPublicKey(keys.Public);
        var certificate = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keys.Private, random));
        return new DtlsCertificate(certificate, keys.Private);
    }
}
