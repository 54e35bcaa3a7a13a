using System.Net;
using P2PSync.Interop.Tests.Mdns;
using P2PSync.Node.Transport.WebRtc.Dtls;
using P2PSync.Node.Transport.WebRtc.Ice;
using P2PSync.Node.Transport.WebRtc.Sdp;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// Our own stack up to DTLS, in-process: an <see cref="IceTransport"/> whose sockets are bound
/// inside one namespace of a <see cref="VethLan"/>, and a <see cref="DtlsSession"/> over it. It
/// owns both and closes DTLS first (close_notify) and then ICE.
/// </summary>
internal sealed class OurDtlsEndpoint : IAsyncDisposable
{
    private OurDtlsEndpoint(IceTransport ice, DtlsSession dtls, DtlsCertificate certificate, IceCredentials credentials)
    {
        Ice = ice;
        Dtls = dtls;
        Certificate = certificate;
        Credentials = credentials;
    }

    public IceTransport Ice { get; }

    public DtlsSession Dtls { get; }

    public DtlsCertificate Certificate { get; }

    public IceCredentials Credentials { get; }

    /// <summary>Builds both layers; ICE starts only with <see cref="StartIce"/>, so candidates can be wired first.</summary>
    public static OurDtlsEndpoint Create(IceRole role, IPAddress bindAddress, Random random)
    {
        var credentials = IceCredentials.Generate(random);
        var agent = new IceAgent(new IceAgentOptions(), credentials, role, (ulong)random.NextInt64(), random);
        var ice = new IceTransport(agent, new IceTransportOptions { BindAddresses = [bindAddress] }, TimeProvider.System, random);
        var certificate = DtlsCertificate.Generate(TimeProvider.System);
        return new OurDtlsEndpoint(ice, new DtlsSession(ice, certificate), certificate, credentials);
    }

    /// <summary>Starts ICE on a thread inside <paramref name="ns"/>, so the socket it binds (to the address given at creation) lives there.</summary>
    public void StartIce(NetworkNamespace ns)
    {
        NetnsSockets.RunInside(ns.Name, () =>
        {
            Ice.Start();
            return Ice;
        });
    }

    /// <summary>The parameters our offer or answer is written from.</summary>
    public LocalSessionParameters SessionParameters(Random random) => new()
    {
        SessionId = (ulong)random.NextInt64(1, long.MaxValue),
        IceUfrag = Credentials.Ufrag,
        IcePwd = Credentials.Password,
        Fingerprint = Certificate.Fingerprint,
    };

    public async ValueTask DisposeAsync()
    {
        await Dtls.DisposeAsync();
        await Ice.DisposeAsync();
    }
}
