using P2PSync.Node.Tests.Transport.WebRtc.Support;
using P2PSync.Node.Transport.WebRtc.Dtls;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

/// <summary>Two DTLS sessions, A and B, over one in-memory link, each with its own certificate.</summary>
internal sealed class DtlsTestPair : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public DtlsTestPair(LinkImpairment? impairment = null, DtlsSessionOptions? options = null)
    {
        Link = new InMemoryDatagramLink(impairment);
        CertificateA = DtlsCertificate.Generate(TimeProvider.System);
        CertificateB = DtlsCertificate.Generate(TimeProvider.System);
        A = new DtlsSession(Link.A, CertificateA, options);
        B = new DtlsSession(Link.B, CertificateB, options);
    }

    public InMemoryDatagramLink Link { get; }

    public DtlsCertificate CertificateA { get; }

    public DtlsCertificate CertificateB { get; }

    public DtlsSession A { get; }

    public DtlsSession B { get; }

    /// <summary>Starts both sides; each expects the other's real fingerprint unless told otherwise.</summary>
    public void Start(bool aIsServer, DtlsFingerprint? aExpects = null, DtlsFingerprint? bExpects = null)
    {
        A.Start(aIsServer ? DtlsRole.Server : DtlsRole.Client, [aExpects ?? CertificateB.Fingerprint]);
        B.Start(aIsServer ? DtlsRole.Client : DtlsRole.Server, [bExpects ?? CertificateA.Fingerprint]);
    }

    public async Task ConnectAsync(bool aIsServer = true)
    {
        Start(aIsServer);
        await Task.WhenAll(A.Connected, B.Connected).WaitAsync(Patience);
    }

    public static async Task<byte[]> ReceiveAsync(DtlsSession session)
    {
        var buffer = new byte[2048];
        using var timeout = new CancellationTokenSource(Patience);
        var length = await session.ReceiveAsync(buffer, timeout.Token);
        return buffer[..length];
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await Link.DisposeAsync();
    }
}
