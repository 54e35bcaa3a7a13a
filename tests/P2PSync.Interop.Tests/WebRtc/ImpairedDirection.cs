using System.Net;
using P2PSync.Interop.Tests.Mdns;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// One direction of an impaired wire: a thread reads IP packets from one TUN device, decides with
/// its own seeded Random whether each is lost, duplicated, sent at once (ahead of those waiting) or
/// held for the delay, and writes what is due into the other device. Only packets addressed to the
/// far side's own unicast addresses cross; anything else (multicast, a default route's traffic)
/// stops here, so nothing leaves the two namespaces.
/// </summary>
internal sealed class ImpairedDirection
{
    private const int MaxPacket = 65535;

    // The longest single wait for input: bounds how late a stop request is noticed.
    private const int IdleWaitMs = 20;

    private readonly TunDevice _from;
    private readonly TunDevice _to;
    private readonly IReadOnlyList<IPAddress> _farAddresses;
    private readonly WireImpairment _impairment;
    private readonly Random _random;
    private readonly TimeProvider _time;
    private readonly Thread _thread;

    // Held packets by due time; the sequence number keeps packets due at the same tick in arrival order.
    private readonly PriorityQueue<byte[], (long DueTicks, long Sequence)> _held = new();
    private long _sequence;
    private long _forwarded;
    private long _lost;
    private long _duplicated;
    private long _sentAhead;
    private long _offWire;
    private volatile bool _stopping;
    private Exception? _failure;

    public ImpairedDirection(string name, TunDevice from, TunDevice to, IReadOnlyList<IPAddress> farAddresses, WireImpairment impairment, int seed, TimeProvider time)
    {
        _from = from;
        _to = to;
        _farAddresses = farAddresses;
        _impairment = impairment;
        _random = new Random(seed);
        _time = time;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    public long Forwarded => Interlocked.Read(ref _forwarded);

    public long Lost => Interlocked.Read(ref _lost);

    public long Duplicated => Interlocked.Read(ref _duplicated);

    public long SentAhead => Interlocked.Read(ref _sentAhead);

    public long OffWire => Interlocked.Read(ref _offWire);

    public void Start() => _thread.Start();

    /// <summary>Stops the thread (packets still held are dropped, as when a cable is pulled); rethrows a failure it had.</summary>
    public void Stop()
    {
        _stopping = true;
        _thread.Join();
        if (_failure is not null)
        {
            throw new ExternalCommandException($"the impaired wire {_thread.Name} failed", _failure);
        }
    }

    public override string ToString() =>
        $"{_thread.Name}: {Forwarded} delivered, {Lost} lost, {Duplicated} duplicated, {SentAhead} sent ahead, {OffWire} not for the far side";

    private void Run()
    {
        var buffer = new byte[MaxPacket];
        try
        {
            while (!_stopping)
            {
                var length = _from.Read(buffer, WaitMs());
                if (length > 0)
                {
                    Admit(buffer.AsSpan(0, length));
                }

                ReleaseDue();
            }
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }

    private void Admit(ReadOnlySpan<byte> packet)
    {
        if (!IsForFarSide(packet))
        {
            Interlocked.Increment(ref _offWire);
            return;
        }

        if (Chance(_impairment.LossPercent))
        {
            Interlocked.Increment(ref _lost);
            return;
        }

        var copies = Chance(_impairment.DuplicatePercent) ? 2 : 1;
        if (copies == 2)
        {
            Interlocked.Increment(ref _duplicated);
        }

        for (var i = 0; i < copies; i++)
        {
            var now = _time.GetTimestamp();
            var ahead = Chance(_impairment.ReorderPercent);
            if (ahead)
            {
                Interlocked.Increment(ref _sentAhead);
            }

            var delayMs = ahead ? 0 : Math.Max(0, _impairment.DelayMs + _random.Next(-_impairment.JitterMs, _impairment.JitterMs + 1));
            _held.Enqueue(packet.ToArray(), (now + (delayMs * _time.TimestampFrequency / 1000), _sequence++));
        }
    }

    private void ReleaseDue()
    {
        var now = _time.GetTimestamp();
        while (_held.TryPeek(out var packet, out var due) && due.DueTicks <= now)
        {
            _held.Dequeue();
            if (_to.Write(packet, packet.Length))
            {
                Interlocked.Increment(ref _forwarded);
            }
        }
    }

    /// <summary>Until the next held packet is due, at most <see cref="IdleWaitMs"/>.</summary>
    private int WaitMs()
    {
        if (!_held.TryPeek(out _, out var due))
        {
            return IdleWaitMs;
        }

        var ms = (due.DueTicks - _time.GetTimestamp()) * 1000 / _time.TimestampFrequency;
        return (int)Math.Clamp(ms, 0, IdleWaitMs);
    }

    private bool Chance(double percent) => percent > 0 && _random.NextDouble() * 100 < percent;

    // The destination address sits at bytes 16..19 of an IPv4 header and 24..39 of an IPv6 one.
    private bool IsForFarSide(ReadOnlySpan<byte> packet)
    {
        var version = packet.Length > 0 ? packet[0] >> 4 : 0;
        IPAddress? destination = version switch
        {
            4 when packet.Length >= 20 => new IPAddress(packet[16..20]),
            6 when packet.Length >= 40 => new IPAddress(packet[24..40]),
            _ => null,
        };
        return destination is not null && _farAddresses.Contains(destination);
    }
}
