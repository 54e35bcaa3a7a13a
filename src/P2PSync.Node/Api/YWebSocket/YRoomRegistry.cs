using P2PSync.Node.Handoff;
using P2PSync.Node.Hosting;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Node.Api.YWebSocket;

/// <summary>
/// The rooms of the y-websocket endpoint, one per document with connected clients. Relays every
/// durable document update (from peers, the CLI or another websocket) and every awareness change
/// the <see cref="AwarenessHub"/> announces (from peers, this device, other clients) to the room's clients.
/// </summary>
internal sealed class YRoomRegistry : IDisposable
{
    private readonly DocumentHub _hub;
    private readonly Dictionary<string, YRoom> _rooms = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly ITimer? _ownExpiry;

    /// <summary>Rooms whose awareness stays on this node (no peers): a private hub, expired by its own timer.</summary>
    public YRoomRegistry(DocumentHub hub)
        : this(hub, new AwarenessHub(TimeProvider.System), ownsAwareness: true)
    {
    }

    /// <summary>Rooms sharing the node's awareness hub (the host feeds it peers and runs its expiry).</summary>
    public YRoomRegistry(DocumentHub hub, AwarenessHub awareness)
        : this(hub, awareness, ownsAwareness: false)
    {
    }

    private YRoomRegistry(DocumentHub hub, AwarenessHub awareness, bool ownsAwareness)
    {
        _hub = hub;
        Awareness = awareness;
        _hub.Updated += OnUpdated;
        Awareness.LocalFrames += OnAwareness;
        _ownExpiry = ownsAwareness ? awareness.StartTimer() : null;
    }

    public AwarenessHub Awareness { get; }

    public YRoom Join(YWebSocketClient client)
    {
        lock (_gate)
        {
            if (!_rooms.TryGetValue(client.DocId, out var room))
            {
                room = new YRoom();
                _rooms.Add(client.DocId, room);
            }

            room.Join(client);
            return room;
        }
    }

    /// <summary>Removes the client; the hub tells the others (here and on peers) that its awareness states are gone.</summary>
    public void Leave(YRoom room, YWebSocketClient client)
    {
        lock (_gate)
        {
            room.Leave(client);
            if (room.IsEmpty)
            {
                _rooms.Remove(client.DocId);
            }
        }

        Awareness.OnLocalClosed(client.DocId, client);
    }

    public void Dispose()
    {
        _hub.Updated -= OnUpdated;
        Awareness.LocalFrames -= OnAwareness;
        _ownExpiry?.Dispose();
    }

    private YRoom? RoomOf(string docId)
    {
        lock (_gate)
        {
            return _rooms.GetValueOrDefault(docId);
        }
    }

    // An empty update is a record-only announcement (a record whose content the document had): nothing for clients.
    private void OnUpdated(DocumentUpdate update)
    {
        if (update.Update.Length == 0)
        {
            return;
        }

        RoomOf(update.DocId)?.Broadcast(YWebsocketMessage.ForSync(SyncMessage.Update(update.Update)).Encode(), except: update.Source);
    }

    private void OnAwareness(AwarenessLocalFrame frame) =>
        RoomOf(frame.DocId)?.Broadcast(YWebsocketMessage.ForAwareness(frame.Update).Encode(), except: frame.Except);
}
