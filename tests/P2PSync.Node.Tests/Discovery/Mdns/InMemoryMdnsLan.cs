using System.Net;
using System.Net.Sockets;
using P2PSync.Node.Discovery.Mdns;
using P2PSync.Node.Discovery.Mdns.Wire;
using P2PSync.Node.Tests.Security;

namespace P2PSync.Node.Tests.Discovery.Mdns;

/// <summary>
/// A seeded, single-segment multicast LAN in memory. Every packet an engine returns is encoded
/// with <see cref="DnsCodec.Encode"/> and decoded again for each receiver, so the wire path is
/// exercised; multicast reaches every attached host with an address of that family, the sender
/// included (multicast loopback, as on a real socket); unicast reaches the owner of the address.
/// Loss, duplication and jitter are drawn per receiver from the LAN's own seeded Random. Time is
/// a <see cref="ManualTimeProvider"/> moved from event to event, so a minute of LAN time costs
/// milliseconds.
/// </summary>
internal sealed class InMemoryMdnsLan
{
    private readonly Random _random;
    private readonly LanConditions _conditions;
    private readonly PriorityQueue<Action, (DateTimeOffset At, long Seq)> _deliveries = new();
    private readonly List<LanHost> _hosts = [];
    private long _seq;
    private int _stepsAtThisInstant;

    public InMemoryMdnsLan(int seed, LanConditions? conditions = null)
    {
        Seed = seed;
        _random = new Random(seed);
        _conditions = conditions ?? LanConditions.Perfect;
        Started = Time.GetUtcNow();
    }

    public int Seed { get; }

    public ManualTimeProvider Time { get; } = new();

    public DateTimeOffset Started { get; }

    public DateTimeOffset Now => Time.GetUtcNow();

    public TimeSpan Elapsed => Now - Started;

    /// <summary>Every packet sent, in order (before loss).</summary>
    public List<WirePacket> Wire { get; } = [];

    /// <summary>Adds a host 10.0.0.<paramref name="number"/> (and fe80::<paramref name="number"/> when <paramref name="ipv6"/>).</summary>
    public LanHost AddHost(string name, int number, bool ipv6 = false, int interfaceIndex = 2)
    {
        var addresses = new List<IPAddress> { IPAddress.Parse($"10.0.0.{number}") };
        if (ipv6)
        {
            addresses.Add(IPAddress.Parse($"fe80::{number:x}"));
        }

        var host = new LanHost(this, name, interfaceIndex, addresses, (Seed * 7919) + number);
        _hosts.Add(host);
        return host;
    }

    /// <summary>Puts an engine's output on the wire from <paramref name="sender"/>'s port 5353.</summary>
    public void Send(LanHost sender, IReadOnlyList<MdnsPacket> packets)
    {
        foreach (var packet in packets)
        {
            var family = packet.Destination.Family;
            var address = sender.Interface.Addresses.FirstOrDefault(a => a.AddressFamily == family)
                ?? throw new InvalidOperationException($"{sender.Name} sent {packet.Destination} without an address of that family");
            SendFrom(sender, new IPEndPoint(address, MdnsNames.Port), packet.Message, packet.Destination);
        }
    }

    /// <summary>Puts any message on the wire, e.g. from a legacy querier's port or a hand-made hostile packet.</summary>
    public void SendFrom(LanHost sender, IPEndPoint source, DnsMessage message, MdnsDestination destination)
    {
        if (!sender.Attached || sender.Muted)
        {
            return;
        }

        var bytes = DnsCodec.Encode(message);
        Wire.Add(new WirePacket(Now, sender.Name, source, destination, DnsCodec.Decode(bytes)));
        var receivers = destination.Unicast is { } target
            ? _hosts.Where(h => h.Interface.Addresses.Contains(target.Address))
            : _hosts.Where(h => h.Interface.Addresses.Any(a => a.AddressFamily == destination.Family));
        var port = destination.Unicast?.Port ?? MdnsNames.Port;
        foreach (var receiver in receivers.ToList())
        {
            if (_random.NextDouble() < _conditions.Loss)
            {
                continue;
            }

            var copies = _random.NextDouble() < _conditions.Duplication ? 2 : 1;
            for (var i = 0; i < copies; i++)
            {
                var at = Now + LanConditions.BaseLatency + TimeSpan.FromTicks((long)(_random.NextDouble() * _conditions.MaxJitter.Ticks));
                _deliveries.Enqueue(
                    () =>
                    {
                        if (receiver.Attached)
                        {
                            receiver.Receive(DnsCodec.Decode(bytes), source, port);
                        }
                    },
                    (at, _seq++));
            }
        }
    }

    public void Start(params LanHost[] hosts)
    {
        foreach (var host in hosts)
        {
            host.Start();
        }
    }

    public void RunFor(TimeSpan span) => RunUntil(Now + span);

    /// <summary>Runs until <paramref name="condition"/> holds (checked after every step) or <paramref name="timeout"/> passes; true when it held.</summary>
    public bool RunUntil(Func<bool> condition, TimeSpan timeout)
    {
        var end = Now + timeout;
        while (!condition())
        {
            if (!Step(end))
            {
                return condition();
            }
        }

        return true;
    }

    public void RunUntil(DateTimeOffset end)
    {
        while (Step(end))
        {
        }
    }

    /// <summary>Moves to the next delivery or wake-up (if before <paramref name="end"/>) and handles it; false when there is none.</summary>
    private bool Step(DateTimeOffset end)
    {
        DateTimeOffset? next = _deliveries.TryPeek(out _, out var head) ? head.At : null;
        foreach (var host in _hosts)
        {
            if (host.NextWakeUp is { } wake && (next is null || wake < next))
            {
                next = wake;
            }
        }

        if (next is null || next > end)
        {
            if (end > Now)
            {
                Time.Advance(end - Now);
            }

            return false;
        }

        if (next > Now)
        {
            Time.Advance(next.Value - Now);
            _stepsAtThisInstant = 0;
        }
        else if (++_stepsAtThisInstant > 10_000)
        {
            // An engine whose NextWakeUp stays in the past after Poll would spin the host's loop forever.
            throw new InvalidOperationException($"seed {Seed}: no progress at {Elapsed}: an engine keeps asking to be polled now");
        }

        while (_deliveries.TryPeek(out _, out var due) && due.At <= Now)
        {
            _deliveries.Dequeue()();
        }

        foreach (var host in _hosts.ToList())
        {
            host.PollDue(Now);
        }

        return true;
    }

    /// <summary>Packets whose message satisfies <paramref name="match"/>, sent at or after <paramref name="since"/>.</summary>
    public IReadOnlyList<WirePacket> SentSince(DateTimeOffset since, Func<WirePacket, bool> match) =>
        Wire.Where(p => p.At >= since && match(p)).ToList();

    public static MdnsDestination Multicast4(int interfaceIndex = 2) => MdnsDestination.Multicast(interfaceIndex, AddressFamily.InterNetwork);
}
