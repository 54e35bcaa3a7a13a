using System.Net;
using P2PSync.Node.Transport.WebRtc.Ice;

namespace P2PSync.Node.Tests.Transport.WebRtc.Ice;

/// <summary>
/// A seeded in-memory UDP network for sans-IO ICE agents: a fake clock, per-datagram loss, delay
/// jitter (which reorders) and duplicates. Each agent owns addresses; a datagram to an address no
/// agent owns is lost, as on a real network. <see cref="Blocked"/> cuts paths on demand.
/// </summary>
internal sealed class SimulatedIceNetwork(int seed, double loss = 0, int minDelayMs = 5, int maxDelayMs = 5, double duplicates = 0)
{
    private readonly Random random = new(seed);
    private readonly List<(IceAgent Agent, IPEndPoint Address)> owners = [];
    private readonly PriorityQueue<SimulatedDatagram, (long, long)> inFlight = new();
    private readonly Dictionary<IPEndPoint, IPEndPoint> natOutbound = [];
    private readonly Dictionary<IPEndPoint, IPEndPoint> natInbound = [];
    private long sequence;

    public long NowMs { get; private set; }

    public int Delivered { get; private set; }

    public int Lost { get; private set; }

    /// <summary>When it returns true for (from, to), the datagram is lost.</summary>
    public Func<IPEndPoint, IPEndPoint, bool>? Blocked { get; set; }

    /// <summary>Application (DTLS) datagrams the agents accepted, with the agent that accepted them.</summary>
    public List<(IceAgent Agent, IPEndPoint From)> ApplicationDelivered { get; } = [];

    public void Attach(IceAgent agent, IPEndPoint address) => owners.Add((agent, address));

    /// <summary>
    /// Puts <paramref name="inside"/> behind a one-to-one NAT: what it sends appears to come from
    /// <paramref name="outside"/>, and what is sent to <paramref name="outside"/> reaches it.
    /// </summary>
    public void Nat(IPEndPoint inside, IPEndPoint outside)
    {
        natOutbound[inside] = outside;
        natInbound[outside] = inside;
    }

    /// <summary>Sends a raw datagram, as a hostile or foreign peer would.</summary>
    public void Inject(IPEndPoint from, IPEndPoint to, byte[] data, long delayMs = 1) =>
        inFlight.Enqueue(new SimulatedDatagram(from, to, data), (NowMs + delayMs, sequence++));

    /// <summary>Runs until <paramref name="done"/> holds (true) or <paramref name="limitMs"/> of simulated time pass (false).</summary>
    public bool RunUntil(Func<bool> done, long limitMs)
    {
        long end = NowMs + limitMs;
        for (int steps = 0; steps < 1_000_000; steps++)
        {
            Pump();
            if (done())
            {
                return true;
            }

            long? next = null;
            foreach ((IceAgent agent, _) in owners.DistinctBy(o => o.Agent))
            {
                if (agent.NextTimeoutMs is { } at)
                {
                    next = Math.Min(next ?? long.MaxValue, at);
                }
            }

            if (inFlight.TryPeek(out _, out (long At, long) head))
            {
                next = Math.Min(next ?? long.MaxValue, head.At);
            }

            if (next is not { } when || when > end)
            {
                NowMs = end;
                return done();
            }

            NowMs = Math.Max(NowMs, when);
            while (inFlight.TryPeek(out SimulatedDatagram? datagram, out (long At, long) key) && key.At <= NowMs)
            {
                inFlight.Dequeue();
                Deliver(datagram);
            }

            foreach ((IceAgent agent, _) in owners.DistinctBy(o => o.Agent))
            {
                if (agent.NextTimeoutMs is { } at && at <= NowMs)
                {
                    agent.HandleTimeout(NowMs);
                }
            }
        }

        throw new InvalidOperationException("The simulation did not settle: an agent keeps asking for a timeout in the past.");
    }

    private void Pump()
    {
        foreach ((IceAgent agent, _) in owners.DistinctBy(o => o.Agent))
        {
            while (agent.TryDequeueOutput(out IceOutgoingDatagram datagram))
            {
                if (random.NextDouble() < loss || (Blocked?.Invoke(datagram.LocalBase, datagram.Remote) ?? false))
                {
                    Lost++;
                    continue;
                }

                int copies = random.NextDouble() < duplicates ? 2 : 1;
                for (int i = 0; i < copies; i++)
                {
                    long delay = random.Next(minDelayMs, maxDelayMs + 1);
                    IPEndPoint from = natOutbound.GetValueOrDefault(datagram.LocalBase, datagram.LocalBase);
                    inFlight.Enqueue(new SimulatedDatagram(from, datagram.Remote, datagram.Data), (NowMs + delay, sequence++));
                }
            }
        }
    }

    private void Deliver(SimulatedDatagram datagram)
    {
        IPEndPoint to = natInbound.GetValueOrDefault(datagram.To, datagram.To);
        foreach ((IceAgent agent, IPEndPoint address) in owners)
        {
            if (address.Equals(to))
            {
                Delivered++;
                if (agent.HandleDatagram(datagram.Data, to, datagram.From, NowMs) == IceInputResult.Application)
                {
                    ApplicationDelivered.Add((agent, datagram.From));
                }

                return;
            }
        }

        Lost++;
    }
}
