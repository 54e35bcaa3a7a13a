using P2PSync.Node.Identity;
using P2PSync.Node.Sync;
using P2PSync.Node.Transport.InMemory;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Simulation.Tests.Support;

/// <summary>
/// One simulated node: a real device key, spaces and documents in memory, a
/// <see cref="SyncCoordinator{TKey}"/> (the same code the real node runs), and a single-threaded pump that moves messages between the coordinator
/// and its in-memory connections. It dials every node with a higher index, redialling after a
/// seeded backoff whenever the link is down, so each pair has at most one live connection.
/// </summary>
internal sealed class SimNode
{
    private readonly InMemoryNetwork _network;
    private readonly ManualTimeProvider _time;
    private readonly Random _random;
    private readonly InMemoryListener _listener;
    private readonly Dictionary<DeviceId, DateTimeOffset> _nextDial = [];

    public SimNode(int index, DeviceKey key, InMemoryNetwork network, ManualTimeProvider time, Random random)
    {
        Index = index;
        Key = key;
        _network = network;
        _time = time;
        _random = random;
        Spaces = new MemorySpaceSource(key, time);
        Source = new MemoryDocumentSource(random, key, Spaces);
        Coordinator = new SyncCoordinator<InMemoryConnection>(Source, Spaces, $"node{index}");
        _listener = network.Listen(key.Id);
    }

    public int Index { get; }

    public DeviceKey Key { get; }

    public DeviceId Id => Key.Id;

    public MemorySpaceSource Spaces { get; }

    public MemoryDocumentSource Source { get; }

    /// <summary>Refused records, ignored announcements and refused space states, as the node would log them.</summary>
    public List<string> Refusals { get; } = [];

    public SyncCoordinator<InMemoryConnection> Coordinator { get; }

    /// <summary>Protocol errors seen; a correct implementation over this network has none.</summary>
    public List<string> Errors { get; } = [];

    public long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public bool HasLiveConnectionTo(DeviceId peer) =>
        Coordinator.Connections.Any(c => c.RemoteDevice == peer && !c.IsBroken);

    /// <summary>
    /// Dials the peers it should be linked to (higher-indexed ones that <paramref name="linked"/>
    /// approves) and has no live connection to, respecting backoff.
    /// </summary>
    public void MaintainLinks(IReadOnlyList<SimNode> nodes, Func<int, int, bool> linked)
    {
        var now = _time.GetUtcNow();
        foreach (var peer in nodes.Where(n => n.Index > Index && linked(Index, n.Index)))
        {
            if (HasLiveConnectionTo(peer.Id) || _nextDial.GetValueOrDefault(peer.Id) > now)
            {
                continue;
            }

            try
            {
                var connection = _network.Connect(Id, peer.Id);
                Send(Coordinator.Connect(connection, peer.Id));
            }
            catch (InMemoryConnectException)
            {
                _nextDial[peer.Id] = now + Backoff();
            }
        }
    }

    /// <summary>Accepts dialled connections and handles every message that has arrived.</summary>
    public void Pump()
    {
        while (_listener.TryAccept(out var accepted))
        {
            Send(Coordinator.Connect(accepted, accepted.RemoteDevice));
        }

        foreach (var connection in Coordinator.Connections.ToList())
        {
            while (connection.TryReceive(out var bytes))
            {
                try
                {
                    Send(Coordinator.Receive(connection, EnvelopeCodec.Decode(bytes), out var refusals));
                    Refusals.AddRange(refusals);
                }
                catch (Exception ex) when (ex is SyncProtocolException or WireFormatException)
                {
                    Errors.Add($"node{Index} from {connection.RemoteDevice.ToShortString()}: {ex.Message}");
                    _ = connection.DisposeAsync();
                    break;
                }
            }

            if (connection.IsAtEnd)
            {
                Coordinator.Disconnect(connection);
                _nextDial[connection.RemoteDevice] = _time.GetUtcNow() + Backoff();
            }
        }
    }

    public void Send(IReadOnlyList<OutgoingEnvelope<InMemoryConnection>> output)
    {
        foreach (var (connection, envelope) in output)
        {
            try
            {
                connection.Send(EnvelopeCodec.Encode(envelope));
            }
            catch (IOException)
            {
                // The connection broke; the pump will see its end and the link is redialled.
            }
        }
    }

    /// <summary>A local edit, signed and sent to every peer that can see the document. False when nothing changed.</summary>
    public bool Edit(string docId, Action<Crdt.Core.Doc> edit)
    {
        var record = Source.Edit(docId, edit);
        if (record is null)
        {
            return false;
        }

        Send(Coordinator.LocalRecords(docId, [record]));
        return true;
    }

    /// <summary>A local change to a space (made through <see cref="Spaces"/>), told to every peer concerned.</summary>
    public void SpaceChanged(Node.Security.Spaces.SpaceId space) => Send(Coordinator.LocalSpaceChanged(space));

    private TimeSpan Backoff() => TimeSpan.FromMilliseconds(_random.Next(10, 300));
}
