namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// The test's signalling channel between two peers: it carries the offer and the answer, then
/// trickles each side's candidates to the other for as long as it lives. A candidate can only be
/// added once its receiver has a remote description, so each direction starts forwarding right
/// after that receiver's setRemoteDescription (earlier candidates are replayed from the peer's event
/// history). Forwarding failures are collected, not thrown, so a test can assert there were none.
/// </summary>
internal sealed class SignallingRelay : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _forwarders = [];
    private readonly List<string> _failures = [];
    private int _relayed;

    private SignallingRelay(RemotePeer offerer, RemotePeer answerer)
    {
        Offerer = offerer;
        Answerer = answerer;
    }

    public RemotePeer Offerer { get; }

    public RemotePeer Answerer { get; }

    public SessionDescriptionText Offer { get; private set; } = new("offer", "");

    public SessionDescriptionText Answer { get; private set; } = new("answer", "");

    /// <summary>Candidates (and end-of-candidates markers) handed on so far, both directions.</summary>
    public int RelayedCandidates => Volatile.Read(ref _relayed);

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>Runs offer/answer between two peers that already have their peer (and the offerer its channels).</summary>
    public static async Task<SignallingRelay> ConnectAsync(RemotePeer offerer, RemotePeer answerer)
    {
        var relay = new SignallingRelay(offerer, answerer);
        try
        {
            relay.Offer = await offerer.CreateOfferAsync();
            await answerer.SetRemoteDescriptionAsync(relay.Offer);
            relay.Forward(offerer, answerer);
            relay.Answer = await answerer.CreateAnswerAsync();
            await offerer.SetRemoteDescriptionAsync(relay.Answer);
            relay.Forward(answerer, offerer);
            return relay;
        }
        catch
        {
            await relay.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var forwarder in _forwarders)
        {
            try
            {
                await forwarder;
            }
            catch (OperationCanceledException)
            {
                // Stopped on purpose.
            }
        }

        _stop.Dispose();
    }

    private void Forward(RemotePeer from, RemotePeer to) =>
        _forwarders.Add(Task.Run(async () =>
        {
            await foreach (var e in from.EventsAsync(_stop.Token))
            {
                if (e is not LocalCandidateEvent candidate)
                {
                    continue;
                }

                try
                {
                    await to.AddCandidateAsync(candidate.Candidate);
                    Interlocked.Increment(ref _relayed);
                }
                catch (Exception failure) when (failure is ControlProtocolException or TimeoutException)
                {
                    lock (_failures)
                    {
                        _failures.Add($"{from.Driver} -> {to.Driver}: {candidate.Candidate?.Candidate ?? "end-of-candidates"}: {failure.Message}");
                    }
                }
            }
        }));
}
