using P2PSync.Node.Transport.WebRtc.Sctp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sctp;

/// <summary>
/// Two associations joined by a seeded lossy link on a simulated clock: each packet may be lost,
/// duplicated, or delayed by a random jitter (which reorders it). Time jumps straight to the next
/// delivery or timer, so minutes of protocol time run in milliseconds.
/// </summary>
internal sealed class SimulatedSctpLink
{
    private readonly Random _random;
    private readonly PriorityQueue<(bool ToB, byte[] Packet), (long At, long Order)> _inFlight = new();
    private long _order;

    public SimulatedSctpLink(int seed, double loss = 0, double duplicate = 0, int delayMs = 10, int jitterMs = 0, SctpOptions? optionsA = null, SctpOptions? optionsB = null)
    {
        Seed = seed;
        _random = new Random(seed);
        Loss = loss;
        Duplicate = duplicate;
        DelayMs = delayMs;
        JitterMs = jitterMs;
        A = new Association(optionsA ?? new SctpOptions { RemoteMaxMessageSize = 0 }, UserA, new Random(seed + 1));
        B = new Association(optionsB ?? new SctpOptions { RemoteMaxMessageSize = 0 }, UserB, new Random(seed + 2));
    }

    /// <summary>A link whose associations have completed their handshake on a clean link; loss and duplicates apply from then on.</summary>
    public static SimulatedSctpLink Connected(int seed, double loss = 0, double duplicate = 0, int jitterMs = 0, SctpOptions? optionsA = null, SctpOptions? optionsB = null)
    {
        var link = new SimulatedSctpLink(seed, 0, 0, 10, jitterMs, optionsA, optionsB);
        link.A.Connect(link.Now);
        Assert.True(
            link.RunUntil(() => link.A.State == SctpAssociationState.Established && link.B.State == SctpAssociationState.Established, 60_000),
            $"seed {seed}: setup");
        link.Loss = loss;
        link.Duplicate = duplicate;
        return link;
    }

    public int Seed { get; }

    public double Loss { get; set; }

    public double Duplicate { get; set; }

    public int DelayMs { get; }

    public int JitterMs { get; }

    /// <summary>While true, everything B sends is lost (a peer that went away).</summary>
    public bool BSilenced { get; set; }

    public RecordingSctpUser UserA { get; } = new();

    public RecordingSctpUser UserB { get; } = new();

    public Association A { get; }

    public Association B { get; }

    public long Now { get; private set; } = 1_000;

    public long PacketsCarried { get; private set; }

    /// <summary>Sees (and may replace, or drop by returning null) every packet from A to B.</summary>
    public Func<byte[], byte[]?>? TamperAToB { get; set; }

    /// <summary>Sees every packet from B to A.</summary>
    public Action<byte[]>? ObserveBToA { get; set; }

    /// <summary>Runs until <paramref name="done"/> holds or nothing is left to do; false if the time limit passed first.</summary>
    public bool RunUntil(Func<bool> done, long maxMs = 600_000)
    {
        var limit = Now + maxMs;
        while (true)
        {
            Collect();
            if (done())
            {
                return true;
            }

            long? next = null;
            if (_inFlight.TryPeek(out _, out var head))
            {
                next = head.At;
            }

            foreach (var timeout in new[] { A.NextTimeoutMs, B.NextTimeoutMs })
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
                (item.ToB ? B : A).HandleInput(item.Packet, Now);
                Collect();
            }

            if (A.NextTimeoutMs <= Now)
            {
                A.HandleTimeout(Now);
            }

            if (B.NextTimeoutMs <= Now)
            {
                B.HandleTimeout(Now);
            }
        }
    }

    private void Collect()
    {
        while (A.TryDequeueOutput(out var packet))
        {
            var bytes = packet.ToArray();
            if (TamperAToB is not null)
            {
                var tampered = TamperAToB(bytes);
                if (tampered is null)
                {
                    continue;
                }

                bytes = tampered;
            }

            Carry(true, bytes);
        }

        while (B.TryDequeueOutput(out var packet))
        {
            ObserveBToA?.Invoke(packet.ToArray());
            if (!BSilenced)
            {
                Carry(false, packet.ToArray());
            }
        }
    }

    private void Carry(bool toB, byte[] packet)
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
