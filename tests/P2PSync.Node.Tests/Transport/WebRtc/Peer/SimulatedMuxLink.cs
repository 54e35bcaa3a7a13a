using P2PSync.Node.Transport.WebRtc.Dcep;
using P2PSync.Node.Transport.WebRtc.Sctp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Peer;

/// <summary>
/// Two <see cref="DataChannelMux"/>es (A is the DTLS client, B the server) joined by a seeded lossy
/// link on a simulated clock, the same model as the SCTP tests' link: each packet may be lost,
/// duplicated or delayed by a random jitter (which reorders it), and time jumps to the next event.
/// </summary>
internal sealed class SimulatedMuxLink
{
    private readonly Random _random;
    private readonly PriorityQueue<(bool ToB, byte[] Packet), (long At, long Order)> _inFlight = new();
    private long _order;

    public SimulatedMuxLink(int seed, double loss = 0, double duplicate = 0, int delayMs = 10, int jitterMs = 0, int remoteMaxMessageSize = 0, int sendBufferLimit = 2_000_000, int localMaxMessageSize = 0)
    {
        Seed = seed;
        _random = new Random(seed);
        Loss = loss;
        Duplicate = duplicate;
        DelayMs = delayMs;
        JitterMs = jitterMs;
        var options = new SctpOptions { RemoteMaxMessageSize = remoteMaxMessageSize, SendBufferLimit = sendBufferLimit, LocalMaxMessageSize = localMaxMessageSize };
        A = new DataChannelMux(localIsDtlsClient: true, options, new Random(seed + 1));
        B = new DataChannelMux(localIsDtlsClient: false, options, new Random(seed + 2));
    }

    public int Seed { get; }

    public double Loss { get; set; }

    public double Duplicate { get; set; }

    public int DelayMs { get; }

    public int JitterMs { get; }

    public DataChannelMux A { get; }

    public DataChannelMux B { get; }

    public long Now { get; private set; } = 1_000;

    /// <summary>Both sides send INIT at the same instant, as two of our peer connections do.</summary>
    public bool Connect(long maxMs = 60_000)
    {
        A.Association.Connect(Now);
        B.Association.Connect(Now);
        return RunUntil(() => A.IsUp && B.IsUp, maxMs);
    }

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

            long? next = _inFlight.TryPeek(out _, out var head) ? head.At : null;
            foreach (var timeout in new[] { A.Association.NextTimeoutMs, B.Association.NextTimeoutMs })
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

            if (A.Association.NextTimeoutMs <= Now)
            {
                A.HandleTimeout(Now);
            }

            if (B.Association.NextTimeoutMs <= Now)
            {
                B.HandleTimeout(Now);
            }
        }
    }

    private void Collect()
    {
        while (A.Association.TryDequeueOutput(out var packet))
        {
            Carry(true, packet.ToArray());
        }

        while (B.Association.TryDequeueOutput(out var packet))
        {
            Carry(false, packet.ToArray());
        }
    }

    private void Carry(bool toB, byte[] packet)
    {
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
