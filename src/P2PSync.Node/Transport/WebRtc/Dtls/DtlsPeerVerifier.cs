using Org.BouncyCastle.Crypto.Tls;
using TlsCertificateChain = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// Accepts the peer's certificate only if it hashes to one of the <c>a=fingerprint</c> values of
/// its SDP (RFC 8122 §5, RFC 8827 §6.5). That check is WebRTC's whole authentication: no CA, no
/// names, no dates. A mismatch aborts the handshake with a bad_certificate alert.
/// </summary>
internal sealed class DtlsPeerVerifier
{
    private readonly IReadOnlyList<DtlsFingerprint> _expected;

    public DtlsPeerVerifier(IReadOnlyList<DtlsFingerprint> expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (expected.Count == 0)
        {
            throw new ArgumentException("the peer's SDP must give at least one fingerprint", nameof(expected));
        }

        _expected = expected.ToArray();
    }

    /// <summary>Why the peer's certificate was refused, once it has been.</summary>
    public string? Failure { get; private set; }

    /// <summary>SHA-256 of the certificate the peer presented, once it has.</summary>
    public DtlsFingerprint? PresentedFingerprint { get; private set; }

    /// <exception cref="TlsFatalAlert">bad_certificate: no certificate, or one that matches no fingerprint.</exception>
    public void Check(TlsCertificateChain? chain)
    {
        if (chain is null || chain.IsEmpty)
        {
            throw Refuse("the peer sent no certificate");
        }

        var der = chain.GetCertificateAt(0).GetEncoded();
        PresentedFingerprint = DtlsFingerprint.Sha256Of(der);

        // Test every fingerprint so the time taken does not say which one (if any) came close.
        var matched = false;
        foreach (var fingerprint in _expected)
        {
            matched |= fingerprint.Matches(der);
        }

        if (!matched)
        {
            throw Refuse($"the peer's certificate ({PresentedFingerprint}) matches no fingerprint in its SDP");
        }
    }

    private TlsFatalAlert Refuse(string reason)
    {
        Failure = reason;
        return new TlsFatalAlert(AlertDescription.bad_certificate);
    }
}
