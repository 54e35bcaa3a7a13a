namespace P2PSync.Node.Tests.Transport.WebRtc;

/// <summary>
/// A seeded lossy link on a simulated clock between two endpoints: each packet may be lost,
/// duplicated, or delayed by a random jitter (which reorders it). Time jumps straight to the next
/// delivery or timer, so minutes of protocol time run in milliseconds. The SCTP tests' link and
/// the data channel mux tests' link are both this one model; each keeps only how it pulls its
/// endpoints' output (<c>collect</c>), which is where they differ.
/// </summary>
internal sealed class SeededLossyLink
{
    private readonly Random _random;
    private readonly PriorityQueue<(bool ToB, byte[] Packet), (long At, long Order)> _inFlight = new();
    private readonly SimulatedLinkEnd _a;
    private readonly SimulatedLinkEnd _b;
    private readonly Action _collect;
    private long _order;

    /// <param name="collect">Drains both endpoints' output into <see cref="Carry"/>; called after every step.</param>
    public SeededLossyLink(int seed, double loss, double duplicate, int delayMs, int jitterMs, SimulatedLinkEnd a, SimulatedLinkEnd b, Action collect)
    {
        _random = new Random(seed);
        Loss = loss;
        Duplicate = duplicate;
        DelayMs = delayMs;
        JitterMs = jitterMs;
        _a = a;
        _b = b;
        _collect = collect;
    }

    public double Loss { get; set; }

    public double Duplicate { get; set; }

    public int DelayMs { get; }

    public int JitterMs { get; }

    public long Now { get; private set; } = 1_000;

    public long PacketsCarried { get; private set; }

    /// <summary>Runs until <paramref name="done"/> holds or nothing is left to do; false if the time limit passed first.</summary>
    public bool RunUntil(Func<bool> done, long maxMs)
    {
        var limit = Now + maxMs;
        while (true)
        {
            _collect();
            if (done())
            {
                return true;
            }

            long? next = _inFlight.TryPeek(out _, out var head) ? head.At : null;
            foreach (var timeout in new[] { _a.NextTimeoutMs(), _b.NextTimeoutMs() })
            {
                if (timeout is { } t && (next is null || t < next))
                {
                    next = t;
                }
            }

            if (next is null || next > limit)
            {
                return done();
            }

            Now = Math.Max(Now, next.Value);
            while (_inFlight.TryPeek(out var item, out var when) && when.At <= Now)
            {
                _inFlight.Dequeue();
                (item.ToB ? _b : _a).HandleInput(item.Packet, Now);
                _collect();
            }

            if (_a.NextTimeoutMs() <= Now)
            {
                _a.HandleTimeout(Now);
            }

            if (_b.NextTimeoutMs() <= Now)
            {
                _b.HandleTimeout(Now);
            }
        }
    }

    /// <summary>Puts a packet on the wire towards B (<paramref name="toB"/>) or A, subject to loss, duplication and jitter.</summary>
    public void Carry(bool toB, byte[] packet)
    {
        PacketsCarried++;
        if (_random.NextDouble() < Loss)
        {
            return;
        }

        var copies = _random.NextDouble() < Duplicate ? 2 : 1;
        for (var i = 0; i < copies; i++)
        {
            var at = Now + DelayMs + (JitterMs == 0 ? 0 : _random.Next(JitterMs + 1));
            _inFlight.Enqueue((toB, packet), (at, _order++));
        }
    }
}
