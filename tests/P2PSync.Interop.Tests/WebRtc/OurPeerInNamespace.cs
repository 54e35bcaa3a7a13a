using System.Collections.Concurrent;
using P2PSync.Interop.Tests.Mdns;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Peer;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// Our <see cref="PeerConnection"/> living in one namespace of a <see cref="VethLan"/>: it binds only
/// that side's address, and the calls that start ICE (and so bind sockets) run on a thread inside
/// the namespace. Signalling with another of ours or with a <see cref="RemotePeer"/> is done here by
/// the test, like <see cref="SignallingRelay"/> does between two real peers; anything the signalling
/// could not hand on is kept in <see cref="Failures"/> instead of thrown.
/// </summary>
internal sealed class OurPeerInNamespace : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _failures = new();

    private OurPeerInNamespace(NetworkNamespace ns, PeerConnection connection)
    {
        Namespace = ns;
        Connection = connection;
    }

    public NetworkNamespace Namespace { get; }

    public PeerConnection Connection { get; }

    public IReadOnlyList<string> Failures => [.. _failures];

    /// <param name="seed">Seeds the connection's Random (ICE credentials, session id, SCTP values).</param>
    public static OurPeerInNamespace Create(NetworkNamespace ns, int seed, PeerConnectionOptions? options = null)
    {
        var bound = (options ?? new PeerConnectionOptions()) with { BindAddresses = [ns.Ipv4] };
        return new OurPeerInNamespace(ns, new PeerConnection(bound, TimeProvider.System, new Random(seed)));
    }

    /// <summary>Offer/answer between two of ours, with every trickled candidate handed across; returns both descriptions.</summary>
    public static (string Offer, string Answer) Connect(OurPeerInNamespace offerer, OurPeerInNamespace answerer)
    {
        offerer.Connection.LocalCandidate += line => answerer.TryAddRemoteCandidate(line);
        answerer.Connection.LocalCandidate += line => offerer.TryAddRemoteCandidate(line);
        var offer = offerer.CreateOffer();
        answerer.SetRemoteDescription("offer", offer);
        var answer = answerer.Connection.CreateAnswer();
        offerer.SetRemoteDescription("answer", answer);
        return (offer, answer);
    }

    /// <summary>We offer to a real peer (which has created its peer); candidates trickle both ways until <paramref name="stop"/>. Returns the peer's answer.</summary>
    public async Task<SessionDescriptionText> OfferToAsync(RemotePeer peer, CancellationToken stop)
    {
        var ours = ForwardOurCandidates(peer);
        var offer = CreateOffer();
        await peer.SetRemoteDescriptionAsync(new SessionDescriptionText("offer", offer));
        var answer = await peer.CreateAnswerAsync();
        SetRemoteDescription("answer", answer.Sdp);
        ours.Open();
        _ = FeedPeerCandidatesAsync(peer, stop);
        return answer;
    }

    /// <summary>A real peer (with its channels made) offers to us; candidates trickle both ways until <paramref name="stop"/>. Returns our answer.</summary>
    public async Task<SessionDescriptionText> AnswerAsync(RemotePeer peer, CancellationToken stop)
    {
        var ours = ForwardOurCandidates(peer);
        var offer = await peer.CreateOfferAsync();
        SetRemoteDescription("offer", offer.Sdp);
        _ = FeedPeerCandidatesAsync(peer, stop);
        var answer = new SessionDescriptionText("answer", Connection.CreateAnswer());
        await peer.SetRemoteDescriptionAsync(answer);
        ours.Open();
        return answer;
    }

    /// <summary>Waits for the association, or fails with the connection's state and the signalling failures.</summary>
    public async Task WaitConnectedAsync(TimeSpan within)
    {
        var done = await Task.WhenAny(Connection.Connected, Task.Delay(within));
        if (done != Connection.Connected)
        {
            throw new TimeoutException($"our peer in {Namespace.Name} not connected within {within.TotalSeconds} s: {Connection.GetStats()}; signalling failures: {string.Join(" | ", _failures)}");
        }

        await Connection.Connected;
    }

    /// <summary>The first <paramref name="count"/> channels the peer opens, by label.</summary>
    public async Task<Dictionary<string, DataChannel>> AcceptChannelsAsync(int count, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var channels = new Dictionary<string, DataChannel>(StringComparer.Ordinal);
        await foreach (var channel in Connection.AcceptDataChannelsAsync(timeout.Token))
        {
            channels[channel.Label] = channel;
            if (channels.Count == count)
            {
                break;
            }
        }

        // The enumeration also ends when the connection closes or fails: say which, not just "a label is missing".
        if (channels.Count < count)
        {
            var connected = Connection.Connected.IsFaulted ? Connection.Connected.Exception!.InnerException!.Message : Connection.Connected.Status.ToString();
            throw new InvalidOperationException($"the peer opened {channels.Count} of {count} channels ({string.Join(", ", channels.Keys)}); state {Connection.State}, connected: {connected}; {Connection.GetStats()}; signalling failures: {string.Join(" | ", _failures)}");
        }

        return channels;
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    public override string ToString() => $"our peer in {Namespace.Name}";

    private string CreateOffer() => NetnsSockets.RunInside(Namespace.Name, Connection.CreateOffer);

    // An offer starts ICE, which binds the sockets: inside the namespace. An answer binds nothing.
    private void SetRemoteDescription(string type, string sdp) =>
        NetnsSockets.RunInside(Namespace.Name, () =>
        {
            Connection.SetRemoteDescription(type, sdp);
            return type;
        });

    private void TryAddRemoteCandidate(string line)
    {
        try
        {
            Connection.AddRemoteCandidate(line);
        }
        catch (Exception e) when (e is WebRtcFormatException or PeerConnectionException or ObjectDisposedException)
        {
            _failures.Enqueue($"candidate '{line}': {e.Message}");
        }
    }

    /// <summary>Queues our trickled candidates until the peer can take them (it needs its remote description first).</summary>
    private CandidateGate ForwardOurCandidates(RemotePeer peer)
    {
        var gate = new CandidateGate(line => _ = SendCandidateAsync(peer, line));
        Connection.LocalCandidate += gate.Offer;
        return gate;
    }

    private async Task SendCandidateAsync(RemotePeer peer, string line)
    {
        try
        {
            await peer.AddCandidateAsync(line.Length == 0 ? null : new IceCandidateInit(line, "0", 0, null));
        }
        catch (ControlProtocolException e)
        {
            _failures.Enqueue($"to {peer}: candidate '{line}': {e.Message}");
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
                    TryAddRemoteCandidate(trickled.Candidate?.Candidate ?? "");
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The test is over; later candidates are of no interest.
        }
    }
}
