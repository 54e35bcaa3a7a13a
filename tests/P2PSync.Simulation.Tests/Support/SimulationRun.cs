using System.Text.Json;
using P2PSync.Crdt;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Transport.InMemory;

namespace P2PSync.Simulation.Tests.Support;

/// <summary>
/// One seeded simulation: N nodes make random edits (text inserts/deletes, map sets, new
/// documents, renames) while the network breaks connections, delivers late tails and
/// partitions; then faults stop, partitions heal, and the run settles. Everything random comes
/// from the seed and time from a manual clock, so a failing seed replays exactly.
/// </summary>
internal sealed class SimulationRun
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);
    // No astral characters: a random index could split a surrogate pair, which yjs itself turns
    // into U+FFFD on the wire; that is CRDT behaviour, not what these tests are about.
    private const string Alphabet = "abcdefghij KLMNOP-é";

    private readonly Random _random;
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryNetwork _network;
    private readonly InMemoryNetworkOptions _faults;
    private readonly Func<int, int, bool> _linked;
    private bool _partitioned;

    /// <param name="lineTopology">
    /// Link only neighbours (0-1-2-...): every change must be relayed hop by hop, which a full
    /// mesh never needs.
    /// </param>
    /// <param name="oneOwner">
    /// True: every node is a device of one person (a personal space each, every other node an
    /// owner of it), for random runs. False: no spaces; the test sets up its own.
    /// </param>
    public SimulationRun(int seed, int nodeCount, bool lineTopology = false, bool oneOwner = true)
    {
        Seed = seed;
        _linked = lineTopology ? (a, b) => Math.Abs(a - b) == 1 : (_, _) => true;
        _random = new Random(seed);
        _faults = new InMemoryNetworkOptions
        {
            MinLatency = TimeSpan.FromMilliseconds(1),
            MaxLatency = TimeSpan.FromMilliseconds(1 + _random.Next(40)),
            DropRate = _random.NextDouble() * 0.03,
            DuplicateRate = _random.NextDouble(),
            ReorderDelay = TimeSpan.FromMilliseconds(_random.Next(20, 400)),
        };
        _network = new InMemoryNetwork(new Random(seed ^ 0x5EED), _time, _faults);
        var nodes = new List<SimNode>();
        for (var i = 0; i < nodeCount; i++)
        {
            var seedBytes = new byte[DeviceKey.SeedLength];
            _random.NextBytes(seedBytes);
            nodes.Add(new SimNode(i, DeviceKey.FromSeed(seedBytes), _network, _time, new Random(unchecked(seed * 31 + i))));
        }

        Nodes = nodes;

        // Every node is one of the same person's devices: each has a personal space with all the
        // others as owners (what `peer add` both ways makes). The others learn it from SpaceStates
        // during the run, relayed hop by hop on a line, like any other change.
        foreach (var node in oneOwner ? nodes : [])
        {
            var others = nodes.Where(n => n != node).Select(n => n.Id).ToList();
            PersonalSpaces.Add(node.Spaces.Create($"node{node.Index}", node.NowMs, others, personal: true));
        }
    }

    /// <summary>
    /// Where a node's random new documents go (null: it creates none); unset = its personal space.
    /// For runs whose spaces the test set up itself.
    /// </summary>
    public Func<SimNode, SpaceId?>? NewDocumentSpace { get; set; }

    /// <summary>Node i's personal space, at index i.</summary>
    public List<SpaceId> PersonalSpaces { get; } = [];

    public int Seed { get; }

    public IReadOnlyList<SimNode> Nodes { get; }

    public InMemoryNetworkStats Stats => _network.Stats;

    public int Edits { get; private set; }

    /// <summary>Steps a reliable, healed network until it is quiet (see <see cref="Settle"/>), failing the test if it never is.</summary>
    public void SettleOrFail()
    {
        Assert.True(Settle(), $"seed {Seed}: the network did not settle");
        foreach (var node in Nodes)
        {
            Assert.True(node.Errors.Count == 0, $"seed {Seed}: node{node.Index}: {string.Join("; ", node.Errors)}");
        }
    }

    /// <summary>Random activity under faults for <paramref name="ticks"/> steps of 5 ms.</summary>
    public void RunChaos(int ticks)
    {
        for (var t = 0; t < ticks; t++)
        {
            RandomAction();
            Step();
        }
    }

    /// <summary>
    /// Stops the faults and heals partitions, then steps until every pair of nodes is connected
    /// and nothing is in flight. Returns false if that does not happen within the limit.
    /// </summary>
    public bool Settle(int maxTicks = 20_000)
    {
        _network.Options = InMemoryNetworkOptions.Reliable;
        _network.Heal();
        _partitioned = false;
        var quietTicks = 0;
        for (var t = 0; t < maxTicks; t++)
        {
            Step();
            var quiet = _network.InFlightCount == 0 && AllPairsConnected();
            quietTicks = quiet ? quietTicks + 1 : 0;
            if (quietTicks >= 3)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every way two replicas can differ, described; empty when all converged.</summary>
    public List<string> Differences()
    {
        var problems = new List<string>();
        var reference = Nodes[0];
        var ids = reference.Source.DocIds.OrderBy(i => i, StringComparer.Ordinal).ToList();
        foreach (var node in Nodes)
        {
            problems.AddRange(node.Errors);
            problems.AddRange(node.Refusals.Select(r => $"node{node.Index}: {r}"));
            var spaces = string.Join(",", node.Spaces.Directory.All.Select(s => s.Id.ToString()).Order(StringComparer.Ordinal));
            var referenceSpaces = string.Join(",", reference.Spaces.Directory.All.Select(s => s.Id.ToString()).Order(StringComparer.Ordinal));
            if (spaces != referenceSpaces)
            {
                problems.Add($"node{node.Index} holds spaces [{spaces}], node0 holds [{referenceSpaces}]");
            }

            var mine = node.Source.DocIds.OrderBy(i => i, StringComparer.Ordinal).ToList();
            if (!mine.SequenceEqual(ids))
            {
                problems.Add($"node{node.Index} has documents [{string.Join(",", mine)}], node0 has [{string.Join(",", ids)}]");
                continue;
            }

            foreach (var id in ids)
            {
                var a = Describe(reference, id);
                var b = Describe(node, id);
                if (a != b)
                {
                    problems.Add($"document {id}: node0 {a} but node{node.Index} {b}");
                }
            }
        }

        return problems;
    }

    private static string Describe(SimNode node, string docId)
    {
        var info = node.Source.FindDocument(docId)!;
        var doc = node.Source.Doc(docId);
        var sv = Y.DecodeStateVector(Y.EncodeStateVector(doc)).OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}:{kv.Value}");
        // Key order of a map's JSON follows local insertion order (as in yjs), so compare sorted.
        var entries = doc.GetMap("map").Entries().OrderBy(kv => kv.Key, StringComparer.Ordinal);
        var map = JsonSerializer.Serialize(entries.ToDictionary(kv => kv.Key, kv => kv.Value));
        return $"name='{info.Name}' space={info.Space} records={node.Source.RecordVector(docId)} sv=[{string.Join(",", sv)}] text='{doc.GetText("text")}' map={map}";
    }

    private bool AllPairsConnected() =>
        Nodes.All(a => Nodes.Where(b => b.Index > a.Index && _linked(a.Index, b.Index))
            .All(b => a.HasLiveConnectionTo(b.Id) && b.HasLiveConnectionTo(a.Id)));

    private void Step()
    {
        _time.Advance(Tick);
        foreach (var node in Nodes)
        {
            node.MaintainLinks(Nodes, _linked);
        }

        foreach (var node in Nodes)
        {
            node.Pump();
        }
    }

    private void RandomAction()
    {
        var roll = _random.NextDouble();
        if (roll < 0.004)
        {
            Partition();
            return;
        }

        if (roll < 0.008 && _partitioned)
        {
            _network.Heal();
            _partitioned = false;
            return;
        }

        if (roll > 0.35)
        {
            return;
        }

        var node = Nodes[_random.Next(Nodes.Count)];
        var docs = node.Source.DocIds.ToList();
        var kind = _random.NextDouble();
        if (docs.Count == 0 || kind < 0.03)
        {
            var space = NewDocumentSpace is null ? PersonalSpaces[node.Index] : NewDocumentSpace(node);
            if (space is not { } target)
            {
                return;
            }

            var created = node.Source.Create($"doc {node.Index}.{docs.Count}", node.NowMs, target);
            node.Send(node.Coordinator.LocalDocumentChanged(created));
            return;
        }

        var docId = docs[_random.Next(docs.Count)];
        if (kind < 0.06)
        {
            var renamed = node.Source.Rename(docId, $"name {_random.Next(1000)}", node.NowMs);
            node.Send(node.Coordinator.LocalDocumentChanged(renamed));
            return;
        }

        if (node.Edit(docId, doc => RandomEdit(doc)))
        {
            Edits++;
        }
    }

    private void RandomEdit(Crdt.Core.Doc doc)
    {
        var text = doc.GetText("text");
        var kind = _random.Next(10);
        if (kind < 6 || text.Length == 0)
        {
            var length = _random.Next(1, 5);
            var chars = new System.Text.StringBuilder();
            for (var i = 0; i < length; i++)
            {
                chars.Append(Alphabet[_random.Next(Alphabet.Length)]);
            }

            text.Insert(_random.Next(text.Length + 1), chars.ToString());
        }
        else if (kind < 8)
        {
            var index = _random.Next(text.Length);
            text.Delete(index, Math.Min(text.Length - index, _random.Next(1, 4)));
        }
        else
        {
            doc.GetMap("map").Set($"k{_random.Next(5)}", _random.Next(2) == 0 ? _random.Next(100) : $"v{_random.Next(100)}");
        }
    }

    private void Partition()
    {
        var shuffled = Nodes.OrderBy(_ => _random.Next()).ToList();
        var cut = _random.Next(1, Math.Max(2, shuffled.Count));
        _network.Partition(
            shuffled.Take(cut).Select(n => n.Id).ToList(),
            shuffled.Skip(cut).Select(n => n.Id).ToList());
        _partitioned = true;
    }
}
