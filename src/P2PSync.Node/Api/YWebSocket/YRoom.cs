namespace P2PSync.Node.Api.YWebSocket;

/// <summary>
/// The websocket clients of one document. Their awareness states live in the node's
/// <see cref="Handoff.AwarenessHub"/> (shared with peers), not here: the room only fans messages out.
/// </summary>
internal sealed class YRoom
{
    private readonly List<YWebSocketClient> _clients = [];
    private readonly Lock _gate = new();

    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _clients.Count == 0;
            }
        }
    }

    public void Join(YWebSocketClient client)
    {
        lock (_gate)
        {
            _clients.Add(client);
        }
    }

    public void Leave(YWebSocketClient client)
    {
        lock (_gate)
        {
            _clients.Remove(client);
        }
    }

    /// <summary>Sends <paramref name="message"/> to every client except <paramref name="except"/>.</summary>
    public void Broadcast(byte[] message, object? except)
    {
        lock (_gate)
        {
            foreach (var client in _clients)
            {
                if (!ReferenceEquals(client, except))
                {
                    client.Enqueue(message);
                }
            }
        }
    }
}
