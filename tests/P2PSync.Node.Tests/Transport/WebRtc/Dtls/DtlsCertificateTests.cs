using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;
using P2PSync.Node.Tests.Security;
using P2PSync.Node.Transport.WebRtc.Dtls;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

public sealed class DtlsCertificateTests
{
    [Fact]
    public void The_certificate_is_a_self_signed_p256_ecdsa_sha256_x509_v3_dated_from_the_given_clock()
    {
        var clock = new ManualTimeProvider();
        clock.Advance(TimeSpan.FromDays(100));
        var now = clock.GetUtcNow();

        var certificate = DtlsCertificate.Generate(clock);
        var parsed = new X509CertificateParser().ReadCertificate(certificate.Der.ToArray());

        Assert.Equal(3, parsed.Version);
        Assert.Equal("1.2.840.10045.4.3.2", parsed.SigAlgOid); // ecdsa-with-SHA256
        Assert.Equal("CN=WebRTC", parsed.SubjectDN.ToString());
        Assert.Equal(parsed.SubjectDN.ToString(), parsed.IssuerDN.ToString());
        parsed.Verify(parsed.GetPublicKey());
        var key = Assert.IsType<ECPublicKeyParameters>(parsed.GetPublicKey());
        Assert.Equal(256, key.Parameters.Curve.FieldSize);
        Assert.True(parsed.SerialNumber.SignValue > 0);
        Assert.Equal(now.AddDays(-1), certificate.NotBefore);
        Assert.Equal(now.AddDays(30), certificate.NotAfter);
        Assert.True(certificate.Fingerprint.Matches(certificate.Der));
        Assert.Equal("sha-256", certificate.Fingerprint.Algorithm);
    }

    [Fact]
    public void Two_certificates_never_share_a_key_or_a_fingerprint()
    {
        var one = DtlsCertificate.Generate(TimeProvider.System);
        var two = DtlsCertificate.Generate(TimeProvider.System);

        Assert.NotEqual(one.Fingerprint.ToString(), two.Fingerprint.ToString());
        Assert.False(one.Fingerprint.Matches(two.Der));
    }
}
