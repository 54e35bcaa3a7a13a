using System.Net;
using P2PSync.Node.Transport.WebRtc.Peer;
using P2PSync.Node.Transport.WebRtc.Sctp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Peer;

/// <summary>
/// Two of our <see cref="PeerConnection"/>s on 127.0.0.1, signalled directly in memory: the offer,
/// the answer and every trickled candidate are handed across as strings, as a signalling channel would.
/// </summary>
internal sealed class LoopbackPeerPair : IAsyncDisposable
{
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private LoopbackPeerPair(PeerConnection offerer, PeerConnection answerer)
    {
        Offerer = offerer;
        Answerer = answerer;
    }

    public PeerConnection Offerer { get; }

    public PeerConnection Answerer { get; }

    /// <summary>Options both sides use unless a test says otherwise: loopback only, and a max-message-size that takes 1 MiB.</summary>
    public static PeerConnectionOptions DefaultOptions => new()
    {
        BindAddresses = [IPAddress.Loopback],
        MaxMessageSize = 2 * 1024 * 1024,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        Sctp = new SctpOptions(),
    };

    /// <summary>Creates both sides with their trickle wired to each other; nothing is signalled yet, so channels can be created first.</summary>
    public static LoopbackPeerPair Create(int seed, PeerConnectionOptions? offererOptions = null, PeerConnectionOptions? answererOptions = null)
    {
        var offerer = new PeerConnection(offererOptions ?? DefaultOptions, TimeProvider.System, new Random(seed));
        var answerer = new PeerConnection(answererOptions ?? DefaultOptions, TimeProvider.System, new Random(seed + 1));
        offerer.LocalCandidate += line => answerer.AddRemoteCandidate(line);
        answerer.LocalCandidate += line => offerer.AddRemoteCandidate(line);
        return new LoopbackPeerPair(offerer, answerer);
    }

    /// <summary>Offer, answer, and both sides connected (within <see cref="Within"/>).</summary>
    public async Task ConnectAsync()
    {
        Signal();
        await Task.WhenAll(Offerer.Connected, Answerer.Connected).WaitAsync(Within);
    }

    /// <summary>Offer and answer only.</summary>
    public void Signal()
    {
        var offer = Offerer.CreateOffer();
        Answerer.SetRemoteDescription("offer", offer);
        Offerer.SetRemoteDescription("answer", Answerer.CreateAnswer());
    }

    public async ValueTask DisposeAsync()
    {
        await Offerer.DisposeAsync();
        await Answerer.DisposeAsync();
    }
}
