using P2PSync.Node.Hosting;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Node.Api.YWebSocket;

/// <summary>
/// The rooms of the y-websocket endpoint, one per document with connected clients. Relays every
/// durable document update (from peers, the CLI or another websocket) to the room's clients.
/// </summary>
internal sealed class YRoomRegistry : IDisposable
{
    private readonly DocumentHub _hub;
    private readonly Dictionary<string, YRoom> _rooms = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public YRoomRegistry(DocumentHub hub)
    {
        _hub = hub;
        _hub.Updated += OnUpdated;
    }

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

    /// <summary>Removes the client and tells the others that its awareness states are gone.</summary>
    public void Leave(YRoom room, YWebSocketClient client)
    {
        lock (_gate)
        {
            if (room.Leave(client) is { } removal)
            {
                room.Broadcast(YWebsocketMessage.ForAwareness(removal).Encode(), except: null);
            }

            if (room.IsEmpty)
            {
                _rooms.Remove(client.DocId);
            }
        }
    }

    public void Dispose() => _hub.Updated -= OnUpdated;

    private void OnUpdated(DocumentUpdate update)
    {
        YRoom? room;
        lock (_gate)
        {
            _rooms.TryGetValue(update.DocId, out room);
        }

        room?.Broadcast(YWebsocketMessage.ForSync(SyncMessage.Update(update.Update)).Encode(), except: update.Source);
    }
}
