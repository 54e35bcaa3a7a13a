using System.Threading.Channels;
using P2PSync.Interop.Tests.Mdns;
using P2PSync.Node.Transport.WebRtc.Peer;
using Xunit;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// Our whole stack (<see cref="PeerConnection"/>) in-process with its ICE sockets inside one
/// namespace of a <see cref="VethLan"/>, signalled directly with a <see cref="RemotePeer"/>: SDP both
/// ways, our trickle to the peer and the peer's trickle to us. Small pieces on purpose, so other
/// tests (mDNS, 1 MiB, netem, hostile input) can build their own runs from them.
/// </summary>
internal sealed class OurPeerConnectionEndpoint : IAsyncDisposable
{
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private readonly NetworkNamespace _ns;
    private readonly ITestOutputHelper _output;
    private readonly Channel<string> _ourCandidates = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];

    private OurPeerConnectionEndpoint(NetworkNamespace ns, PeerConnection connection, ITestOutputHelper output)
    {
        _ns = ns;
        Connection = connection;
        _output = output;
        connection.LocalCandidate += line => _ourCandidates.Writer.TryWrite(line);
    }

    public PeerConnection Connection { get; }

    /// <summary>Our connection, binding only the namespace's veth address (<paramref name="options"/> may change anything else).</summary>
    public static OurPeerConnectionEndpoint Create(NetworkNamespace ns, int seed, ITestOutputHelper output, PeerConnectionOptions? options = null)
    {
        output.WriteLine($"our seed {seed}");
        var settings = (options ?? new PeerConnectionOptions()) with { BindAddresses = [ns.Ipv4] };
        return new OurPeerConnectionEndpoint(ns, new PeerConnection(settings, TimeProvider.System, new Random(seed)), output);
    }

    /// <summary>
    /// Offer/answer with <paramref name="peer"/> (whose createPeer, and for a peer offer a first channel, the caller has done)
    /// and trickle both ways; returns once our association is up.
    /// </summary>
    public async Task ConnectAsync(RemotePeer peer, bool weOffer)
    {
        _pumps.Add(ForwardOurCandidatesAsync(peer, _stop.Token));
        _pumps.Add(FeedPeerCandidatesAsync(peer, _stop.Token));
        if (weOffer)
        {
            var offer = NetnsSockets.RunInside(_ns.Name, Connection.CreateOffer);
            await peer.SetRemoteDescriptionAsync(new SessionDescriptionText("offer", offer));
            var answer = await peer.CreateAnswerAsync();
            Connection.SetRemoteDescription("answer", answer.Sdp);
        }
        else
        {
            var offer = await peer.CreateOfferAsync();
            NetnsSockets.RunInside(_ns.Name, () =>
            {
                Connection.SetRemoteDescription("offer", offer.Sdp);
                return Connection;
            });
            await peer.SetRemoteDescriptionAsync(new SessionDescriptionText("answer", Connection.CreateAnswer()));
        }

        var connected = await Task.WhenAny(Connection.Connected, Task.Delay(Within));
        Assert.True(connected == Connection.Connected, $"not connected within {Within.TotalSeconds} s: {Connection.GetStats()}\n--- peer stderr ---\n{peer.StderrTail}");
        await Connection.Connected;
        _output.WriteLine($"connected: {Connection.GetStats()}");
    }

    /// <summary>The next channel the peer opens (within <see cref="Within"/>).</summary>
    public async Task<DataChannel> AcceptAsync()
    {
        using var timeout = new CancellationTokenSource(Within);
        await foreach (var channel in Connection.AcceptDataChannelsAsync(timeout.Token))
        {
            return channel;
        }

        throw new InvalidOperationException("the connection ended before the peer opened a channel");
    }

    /// <summary>The next message on <paramref name="channel"/> (within <see cref="Within"/>); fails if the channel closes first.</summary>
    public static async Task<DataChannelMessage> ReceiveAsync(DataChannel channel)
    {
        using var timeout = new CancellationTokenSource(Within);
        var message = await channel.ReceiveAsync(timeout.Token);
        Assert.True(message.HasValue, $"{channel} closed before a message arrived");
        return message.Value;
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await _stop.CancelAsync();
        _ourCandidates.Writer.TryComplete();
        await Task.WhenAll(_pumps).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task ForwardOurCandidatesAsync(RemotePeer peer, CancellationToken stop)
    {
        try
        {
            await foreach (var line in _ourCandidates.Reader.ReadAllAsync(stop))
            {
                // Our trickle carries no mid: our data section is the first (and only) m= line either way.
                await peer.AddCandidateAsync(line.Length == 0 ? null : new IceCandidateInit(line, null, 0, null));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the run is over
        }
    }

    private async Task FeedPeerCandidatesAsync(RemotePeer peer, CancellationToken stop)
    {
        try
        {
            await foreach (var e in peer.EventsAsync(stop))
            {
                if (e is LocalCandidateEvent trickled)
                {
                    var line = trickled.Candidate?.Candidate ?? string.Empty;
                    var used = Connection.AddRemoteCandidate(line);
                    _output.WriteLine($"peer trickled '{line}' (used: {used})");
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the run is over
        }
        catch (PeerConnectionException)
        {
            // our connection ended first
        }
    }
}
