using P2PSync.Node.Handoff;
using P2PSync.Node.Tests.Security;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Tests.Handoff;

/// <summary>
/// Several <see cref="AwarenessHub"/>s joined by links that deliver frames in order per link (as
/// TCP does) but interleave links in a seeded random order. A link that goes down drops what was
/// in flight on it. <see cref="Pump"/> fails if frames keep flowing (a relay loop).
/// </summary>
internal sealed class AwarenessNetwork
{
    private readonly Random _random;
    private readonly List<string> _trace = [];
    private readonly Dictionary<(int From, int To), Queue<AwarenessFrame>> _inFlight = [];

    public AwarenessNetwork(int hubs, int seed)
    {
        _random = new Random(seed);
        Seed = seed;
        for (var i = 0; i < hubs; i++)
        {
            var index = i;
            var hub = new AwarenessHub(Time);
            hub.PeerFrames += frames => Enqueue(index, frames);
            hub.LocalFrames += frame => LocalFrames[index].Add(frame);
            Hubs.Add(hub);
            Ids.Add(DeviceOf(seed, i));
            LocalFrames.Add([]);
        }
    }

    public int Seed { get; }

    public ManualTimeProvider Time { get; } = new();

    public List<AwarenessHub> Hubs { get; } = [];

    public List<DeviceId> Ids { get; } = [];

    /// <summary>What each hub told its websocket clients.</summary>
    public List<List<AwarenessLocalFrame>> LocalFrames { get; } = [];

    public int Delivered { get; private set; }

    public HashSet<(int, int)> Links { get; } = [];

    public static DeviceId DeviceOf(int seed, int index)
    {
        var key = new byte[DeviceId.KeyLength];
        new Random(HashCode.Combine(seed, index, 7919)).NextBytes(key);
        return DeviceId.FromPublicKey(key);
    }

    public void Connect(int a, int b)
    {
        if (a == b || !Links.Add(Key(a, b)))
        {
            return;
        }

        Enqueue(a, Hubs[a].OnPeerConnected(Ids[b]));
        Enqueue(b, Hubs[b].OnPeerConnected(Ids[a]));
    }

    public void Disconnect(int a, int b)
    {
        if (!Links.Remove(Key(a, b)))
        {
            return;
        }

        _inFlight.Remove((a, b));
        _inFlight.Remove((b, a));
        Enqueue(a, Hubs[a].OnPeerDisconnected(Ids[b]));
        Enqueue(b, Hubs[b].OnPeerDisconnected(Ids[a]));
    }

    public void Enqueue(int from, IReadOnlyList<(DeviceId To, AwarenessFrame Frame)> frames)
    {
        foreach (var (to, frame) in frames)
        {
            var index = Ids.IndexOf(to);
            Assert.True(index >= 0, $"seed {Seed}: frame to an unknown device");
            Assert.True(Links.Contains(Key(from, index)), $"seed {Seed}: hub {from} sent to {index}, which it is not connected to");
            if (!_inFlight.TryGetValue((from, index), out var queue))
            {
                queue = new Queue<AwarenessFrame>();
                _inFlight[(from, index)] = queue;
            }

            queue.Enqueue(frame);
        }
    }

    /// <summary>Delivers frames until none is left; returns how many were delivered.</summary>
    public int Pump(int limit = 10_000)
    {
        var delivered = 0;
        while (true)
        {
            var busy = _inFlight.Where(q => q.Value.Count > 0).Select(q => q.Key).OrderBy(k => k).ToList();
            if (busy.Count == 0)
            {
                Delivered += delivered;
                return delivered;
            }

            var (from, to) = busy[_random.Next(busy.Count)];
            var frame = _inFlight[(from, to)].Dequeue();
            Enqueue(to, Hubs[to].OnPeerFrame(Ids[from], frame));
            delivered++;
            if (delivered > limit - 20)
            {
                _trace.Add($"{from}->{to}: " + string.Join(' ', P2PSync.Protocol.YProtocols.AwarenessUpdate.Decode(frame.Update.Span).Select(e => $"{e.ClientId}@{e.Clock}{(e.IsRemoval ? "x" : "")}")));
            }

            Assert.True(delivered <= limit, $"seed {Seed}: more than {limit} frames delivered; awareness is looping:\n{string.Join('\n', _trace)}");
        }
    }

    private static (int, int) Key(int a, int b) => a < b ? (a, b) : (b, a);
}
