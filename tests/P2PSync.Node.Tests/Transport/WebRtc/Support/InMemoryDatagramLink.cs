using P2PSync.Node.Transport.WebRtc;

namespace P2PSync.Node.Tests.Transport.WebRtc.Support;

/// <summary>
/// Two <see cref="IDatagramTransport"/> ends joined in memory, for testing any WebRTC layer
/// against itself: what <see cref="A"/> sends, <see cref="B"/> receives and the other way round,
/// subject to a seeded <see cref="LinkImpairment"/>. Tests can also watch, drop or inject
/// datagrams on each end, and cut the link to see how a layer ends.
/// </summary>
internal sealed class InMemoryDatagramLink : IAsyncDisposable
{
    private static readonly TimeSpan ReorderWindow = TimeSpan.FromMilliseconds(20);

    private readonly object _gate = new();
    private readonly Random _random;
    private readonly LinkImpairment _impairment;
    private byte[]? _heldForB;
    private byte[]? _heldForA;

    /// <param name="maxDatagramSize">Each end's <see cref="IDatagramTransport.MaxDatagramSize"/>; 1232 is our UDP payload budget.</param>
    public InMemoryDatagramLink(LinkImpairment? impairment = null, int maxDatagramSize = 1232)
    {
        _impairment = impairment ?? LinkImpairment.None;
        _random = new Random(_impairment.Seed);
        A = new InMemoryDatagramEndpoint(this, "A", maxDatagramSize);
        B = new InMemoryDatagramEndpoint(this, "B", maxDatagramSize);
    }

    public InMemoryDatagramEndpoint A { get; }

    public InMemoryDatagramEndpoint B { get; }

    /// <summary>Datagrams the impairment threw away.</summary>
    public int Lost { get; private set; }

    /// <summary>Datagrams the impairment delivered a second time.</summary>
    public int Duplicated { get; private set; }

    /// <summary>Datagrams the impairment held back behind a later one.</summary>
    public int Reordered { get; private set; }

    /// <summary>Ends both sides as if the path died (ICE consent lost: <see cref="TransportClosedReason.TimedOut"/>).</summary>
    public void Cut(TransportClosedReason reason)
    {
        A.End(reason);
        B.End(reason);
    }

    public ValueTask DisposeAsync()
    {
        Cut(TransportClosedReason.ClosedLocally);
        return ValueTask.CompletedTask;
    }

    // Called by an end's SendAsync with its own copy of the datagram.
    internal void Carry(InMemoryDatagramEndpoint from, byte[] datagram)
    {
        var to = ReferenceEquals(from, A) ? B : A;
        var deliveries = new List<byte[]>(3);
        lock (_gate)
        {
            if (_random.NextDouble() < _impairment.Loss)
            {
                Lost++;
                return;
            }

            ref var held = ref ReferenceEquals(to, B) ? ref _heldForB : ref _heldForA;
            if (held is null && _random.NextDouble() < _impairment.Reorder)
            {
                // Held until the next datagram in this direction passes it, or the window ends
                // (so the last datagram of a flight is late, not lost).
                held = datagram;
                Reordered++;
                _ = Task.Delay(ReorderWindow).ContinueWith(_ => ReleaseHeld(to), TaskScheduler.Default);
                return;
            }

            deliveries.Add(datagram);
            if (_random.NextDouble() < _impairment.Duplicate)
            {
                deliveries.Add(datagram);
                Duplicated++;
            }

            if (held is not null)
            {
                deliveries.Add(held);
                held = null;
            }
        }

        foreach (var delivery in deliveries)
        {
            to.Deliver(delivery);
        }
    }

    private void ReleaseHeld(InMemoryDatagramEndpoint to)
    {
        byte[]? late;
        lock (_gate)
        {
            ref var held = ref ReferenceEquals(to, B) ? ref _heldForB : ref _heldForA;
            late = held;
            held = null;
        }

        if (late is not null)
        {
            to.Deliver(late);
        }
    }
}
