using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;
using P2PSync.Node.Storage;
using P2PSync.Node.Sync;
using P2PSync.Node.Tests.Storage;
using P2PSync.Node.Tests.Support;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Tests.Hosting;

/// <summary>
/// The sync layer and the store decide renames together: real SQLite stores behind the host's
/// <see cref="HubSyncSource"/>, the pure <see cref="SyncCoordinator{TKey}"/> of each node, and
/// envelopes carried as bytes between them in a seeded order. Clocks stand still, so renames on
/// different nodes carry the same millisecond; every store must still end with the same name.
/// </summary>
public sealed class RenameAgreementTests
{
    [Fact]
    public void SameMsRenamesOnThreeNodes_EveryStoreKeepsTheLargestDevicesName()
    {
        using var mesh = new StoreMesh(nodeCount: 3, seed: 1);
        var doc = mesh.Nodes[0].Hub.Create("start", "test");
        mesh.LocalChange(0, doc);
        mesh.DeliverAll();

        // All three rename within the same millisecond, before hearing of each other.
        var stamps = new List<NameVersion>();
        foreach (var node in mesh.Nodes)
        {
            var renamed = node.Hub.Rename(doc.Id, $"by node {node.Index}", "test");
            mesh.LocalChange(node.Index, renamed);
            stamps.Add(new NameVersion(renamed.Name, renamed.NameChangedMs, renamed.NameChangedBy));
        }

        Assert.Single(stamps.Select(s => s.ChangedMs).Distinct());
        mesh.DeliverAll();

        var winner = stamps.Max();
        Assert.Equal(mesh.Nodes.MaxBy(n => n.Device.ToString(), StringComparer.Ordinal)!.Device.ToString(), winner.ChangedBy);
        mesh.AssertAllAgree(doc.Id, winner, "seed 1");
    }

    [Fact]
    public void AnnounceWithANonCanonicalRenamingDevice_IsRefusedByTheStore_AndNothingChanges()
    {
        using var mesh = new StoreMesh(nodeCount: 2, seed: 7);
        var doc = mesh.Nodes[0].Hub.Create("start", "test");
        mesh.LocalChange(0, doc);
        mesh.DeliverAll();
        var before = mesh.Nodes[0].Store.Documents.Get(doc.Id);

        // Same device, lower-case spelling: it would win the stamp comparison, but the store keeps
        // only canonical text (ties compare it ordinally), so the host closes this connection.
        var hostile = new Envelope
        {
            Doc = new DocAnnounce
            {
                DocId = doc.Id,
                Name = "planted",
                CreatedMs = doc.CreatedMs,
                NameChangedMs = doc.NameChangedMs + 1_000,
                NameChangedBy = mesh.Nodes[1].Device.ToString().ToLowerInvariant(),
                SpaceId = Google.Protobuf.ByteString.CopyFrom(doc.Space.Bytes),
            },
        };

        var ex = Assert.Throws<InvalidStoreInputException>(() => mesh.Nodes[0].Coordinator.Receive(1, hostile));
        Assert.Equal("renaming device", ex.Field);
        Assert.Equal(before, mesh.Nodes[0].Store.Documents.Get(doc.Id));
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(4, true)]
    public void SeededRenamesAndDeliveries_AllStoresConvergeOnTheLargestStamp(int nodeCount, bool line)
    {
        for (var seed = 1; seed <= 12; seed++)
        {
            using var mesh = new StoreMesh(nodeCount, seed * 100 + nodeCount, line);
            var random = new Random(seed);
            var doc = mesh.Nodes[random.Next(nodeCount)].Hub.Create("start", "test");
            mesh.LocalChange(mesh.Nodes.Single(n => n.Hub.Get(doc.Id) is not null).Index, doc);
            mesh.DeliverAll();

            var issued = new List<NameVersion>();
            for (var step = 0; step < 40; step++)
            {
                switch (random.Next(4))
                {
                    case 0:
                    case 1:
                        var node = mesh.Nodes[random.Next(nodeCount)];
                        var renamed = node.Hub.Rename(doc.Id, $"n{random.Next(5)}", "test");
                        mesh.LocalChange(node.Index, renamed);
                        issued.Add(new NameVersion(renamed.Name, renamed.NameChangedMs, renamed.NameChangedBy));
                        break;
                    case 2:
                        mesh.DeliverSome(random.Next(1, 6));
                        break;
                    default:
                        // Mostly stay in the same millisecond so renames tie on time.
                        if (random.Next(4) == 0)
                        {
                            mesh.AdvanceClocks(1);
                        }

                        break;
                }
            }

            mesh.DeliverAll();
            mesh.AssertAllAgree(doc.Id, issued.Count == 0 ? mesh.Nodes[0].Store.Documents.Get(doc.Id)!.NameVersion : issued.Max(), $"seed {seed}, {nodeCount} nodes, line={line}");
        }
    }

    /// <summary>N nodes, each a real store + hub + coordinator, linked as a full mesh or a line, with seeded delivery order.</summary>
    private sealed class StoreMesh : IDisposable
    {
        private readonly Random _random;
        private readonly Dictionary<(int From, int To), Queue<byte[]>> _inFlight = [];

        public StoreMesh(int nodeCount, int seed, bool line = false)
        {
            _random = new Random(seed);
            Nodes = Enumerable.Range(0, nodeCount).Select(i => new MeshNode(i, SeededKey(seed * 10 + i))).ToList();

            // Every node is an owner of one shared space, where all the documents live.
            var shared = Nodes[0].Spaces.Create("mesh", [.. Nodes.Skip(1).Select(n => n.Device)]);
            foreach (var node in Nodes)
            {
                if (node.Index > 0)
                {
                    node.Spaces.ApplyState(Nodes[0].Spaces.DescribeFor(shared.Id, node.Device), Nodes[0].Device);
                }

                node.Hub.DefaultSpace = () => shared.Id;
            }
            for (var a = 0; a < nodeCount; a++)
            {
                for (var b = a + 1; b < nodeCount; b++)
                {
                    if (!line || b == a + 1)
                    {
                        _inFlight[(a, b)] = new Queue<byte[]>();
                        _inFlight[(b, a)] = new Queue<byte[]>();
                        Send(a, Nodes[a].Coordinator.Connect(b, Nodes[b].Device));
                        Send(b, Nodes[b].Coordinator.Connect(a, Nodes[a].Device));
                    }
                }
            }
        }

        public List<MeshNode> Nodes { get; }

        /// <summary>What NodePeerSync does when the hub reports a local creation or rename.</summary>
        public void LocalChange(int node, DocumentRecord record) =>
            Send(node, Nodes[node].Coordinator.LocalDocumentChanged(HubSyncSource.ToSync(record)));

        public void AdvanceClocks(long ms)
        {
            foreach (var node in Nodes)
            {
                node.Clock.Advance(ms);
            }
        }

        /// <summary>Delivers up to <paramref name="count"/> messages, each from a random non-empty connection (FIFO per connection, as TCP).</summary>
        public void DeliverSome(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var pending = _inFlight.Where(p => p.Value.Count > 0).Select(p => p.Key).ToList();
                if (pending.Count == 0)
                {
                    return;
                }

                var (from, to) = pending[_random.Next(pending.Count)];
                var envelope = EnvelopeCodec.Decode(_inFlight[(from, to)].Dequeue());
                Send(to, Nodes[to].Coordinator.Receive(from, envelope));
            }
        }

        public void DeliverAll()
        {
            for (var guard = 0; _inFlight.Values.Any(q => q.Count > 0); guard++)
            {
                Assert.True(guard < 100_000, "messages keep circulating: announcements loop");
                DeliverSome(1);
            }
        }

        public void AssertAllAgree(string docId, NameVersion expected, string context)
        {
            foreach (var node in Nodes)
            {
                var stored = node.Store.Documents.Get(docId)!.NameVersion;
                Assert.True(expected == stored, $"{context}: node {node.Index} stored {stored}, expected {expected}");

                // The session's view of the document is the store's: same name, same stamp.
                var seen = node.Source.FindDocument(docId)!;
                Assert.Equal(expected, seen.NameStamp.Of(seen.Name));
            }
        }

        public void Dispose()
        {
            foreach (var node in Nodes)
            {
                node.Dispose();
            }
        }

        private void Send(int from, IReadOnlyList<OutgoingEnvelope<int>> outgoing)
        {
            foreach (var item in outgoing)
            {
                _inFlight[(from, item.Connection)].Enqueue(EnvelopeCodec.Encode(item.Envelope));
            }
        }
    }

    /// <summary>A reproducible device key (the seed picks the DeviceId, and so who wins rename ties).</summary>
    private static DeviceKey SeededKey(int seed)
    {
        var bytes = new byte[DeviceKey.SeedLength];
        new Random(seed).NextBytes(bytes);
        return DeviceKey.FromSeed(bytes);
    }

    private sealed class MeshNode : IDisposable
    {
        private readonly TempDirectory _dir = new();

        public MeshNode(int index, DeviceKey key)
        {
            Index = index;
            Key = key;
            Device = key.Id;
            Store = NodeStore.Open(_dir.Combine(NodeStore.FileName), Clock);
            var gate = new Lock();
            Spaces = new NodeSpaces(Store.Spaces, Store.Invites, key, gate, Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            Hub = new DocumentHub(new StoreDocumentPersistence(Store.Documents, Device), gate, null, new RecordSigning(key, Spaces.CanWrite));
            Source = new HubSyncSource(Hub, Spaces);
            Coordinator = new SyncCoordinator<int>(Source, new HubSpaceSource(Spaces), $"node{index}");
        }

        public DeviceKey Key { get; }

        public NodeSpaces Spaces { get; }

        public int Index { get; }

        public DeviceId Device { get; }

        public ManualClock Clock { get; } = new();

        public NodeStore Store { get; }

        public DocumentHub Hub { get; }

        public HubSyncSource Source { get; }

        public SyncCoordinator<int> Coordinator { get; }

        public void Dispose()
        {
            Hub.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Spaces.Dispose();
            Key.Dispose();
            Store.Dispose();
            _dir.Dispose();
        }
    }
}
