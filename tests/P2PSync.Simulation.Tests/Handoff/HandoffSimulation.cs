using P2PSync.Node.Handoff;
using P2PSync.Node.Transport.InMemory;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Simulation.Tests.Handoff;

/// <summary>
/// Two or three <see cref="HandoffEngine"/>s over a seeded in-memory message queue. Each link
/// direction is FIFO (like a TCP connection); which link delivers next is chosen by the seeded
/// random, so the interleaving across peers varies with the seed and a failing seed replays
/// exactly. Every envelope goes through the wire codec, as on a real connection.
/// </summary>
internal sealed class HandoffSimulation
{
    private readonly Random _random;
    private readonly Dictionary<(HandoffSimNode From, HandoffSimNode To), Queue<Envelope>> _links = [];

    public HandoffSimulation(int seed, int nodeCount, HandoffOptions? options = null)
    {
        Seed = seed;
        _random = new Random(seed);
        var names = new[] { "A", "B", "C" };
        var nodes = new List<HandoffSimNode>();
        for (var i = 0; i < nodeCount; i++)
        {
            var key = new byte[DeviceId.KeyLength];
            _random.NextBytes(key);
            nodes.Add(new HandoffSimNode(names[i], DeviceId.FromPublicKey(key), new Random(unchecked((seed * 31) + i)), Time, options ?? new HandoffOptions()));
        }

        Nodes = nodes;
    }

    public int Seed { get; }

    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public IReadOnlyList<HandoffSimNode> Nodes { get; }

    public HandoffSimNode A => Nodes[0];

    public HandoffSimNode B => Nodes[1];

    public HandoffSimNode C => Nodes[2];

    /// <summary>Chunk payload bytes delivered so far, per receiving node.</summary>
    public Dictionary<HandoffSimNode, long> ChunkBytesDelivered { get; } = [];

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Connect(HandoffSimNode a, HandoffSimNode b)
    {
        _links[(a, b)] = new Queue<Envelope>();
        _links[(b, a)] = new Queue<Envelope>();
        Handle(a, a.Engine.OnConnected(b.Id));
        Handle(b, b.Engine.OnConnected(a.Id));
    }

    /// <summary>The connection breaks: whatever is still queued either way is lost.</summary>
    public void Disconnect(HandoffSimNode a, HandoffSimNode b)
    {
        _links.Remove((a, b));
        _links.Remove((b, a));
        Handle(a, a.Engine.OnDisconnected(b.Id));
        Handle(b, b.Engine.OnDisconnected(a.Id));
    }

    /// <summary>Runs a command or event on <paramref name="node"/> and queues its output.</summary>
    public void Run(HandoffSimNode node, Func<HandoffEngine, HandoffOutput> call) => Handle(node, call(node.Engine));

    public int Queued(HandoffSimNode from, HandoffSimNode to) => _links.TryGetValue((from, to), out var queue) ? queue.Count : 0;

    public Envelope Peek(HandoffSimNode from, HandoffSimNode to) => _links[(from, to)].Peek();

    /// <summary>Takes every queued message off one link without delivering it (for tests that tamper with them).</summary>
    public List<Envelope> Drain(HandoffSimNode from, HandoffSimNode to)
    {
        var queue = _links[(from, to)];
        var drained = queue.ToList();
        queue.Clear();
        return drained;
    }

    /// <summary>Delivers the next message on one link; false if it is empty.</summary>
    public bool DeliverOne(HandoffSimNode from, HandoffSimNode to)
    {
        if (!_links.TryGetValue((from, to), out var queue) || queue.Count == 0)
        {
            return false;
        }

        var envelope = EnvelopeCodec.Decode(EnvelopeCodec.Encode(queue.Dequeue()));
        if (envelope.BodyCase == Envelope.BodyOneofCase.HandoffChunk)
        {
            ChunkBytesDelivered[to] = ChunkBytesDelivered.GetValueOrDefault(to) + envelope.HandoffChunk.Data.Length;
        }

        Handle(to, to.Engine.OnEnvelope(from.Id, envelope));
        return true;
    }

    /// <summary>Delivers messages on randomly chosen non-empty links until all are empty (or <paramref name="limit"/>).</summary>
    public int DeliverAll(int limit = int.MaxValue)
    {
        var delivered = 0;
        while (delivered < limit)
        {
            var busy = _links.Where(l => l.Value.Count > 0).Select(l => l.Key).OrderBy(k => k.From.Name).ThenBy(k => k.To.Name).ToList();
            if (busy.Count == 0)
            {
                break;
            }

            var (from, to) = busy[_random.Next(busy.Count)];
            DeliverOne(from, to);
            delivered++;
        }

        return delivered;
    }

    /// <summary>Moves the clock and lets every engine act on its deadlines.</summary>
    public void Advance(TimeSpan by)
    {
        Time.Advance(by);
        foreach (var node in Nodes)
        {
            Handle(node, node.Engine.Poll());
        }
    }

    /// <summary>What the sync layer would do: apply a local edit's update on other nodes.</summary>
    public static void Sync(byte[] update, string docId, HandoffSimNode from, params HandoffSimNode[] to)
    {
        foreach (var node in to)
        {
            node.Documents.Apply(docId, update, from.Id);
        }
    }

    public string Describe() => $"seed {Seed}";

    private void Handle(HandoffSimNode node, HandoffOutput output)
    {
        node.Events.AddRange(output.Events);
        foreach (var (to, envelope) in output.Send)
        {
            var target = Nodes.Single(n => n.Id == to);
            if (_links.TryGetValue((node, target), out var queue))
            {
                queue.Enqueue(envelope);
            }
            else
            {
                throw new InvalidOperationException($"{node} sent {envelope.BodyCase} to {target}, which it is not connected to");
            }
        }
    }
}
