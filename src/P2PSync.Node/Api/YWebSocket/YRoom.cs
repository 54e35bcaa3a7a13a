using P2PSync.Protocol.YProtocols;

namespace P2PSync.Node.Api.YWebSocket;

/// <summary>
/// The websocket clients of one document and their awareness states. Awareness never touches the
/// store: it is presence (cursors, names) and lives only as long as the clients do.
/// </summary>
internal sealed class YRoom
{
    private readonly List<YWebSocketClient> _clients = [];
    private readonly Dictionary<ulong, AwarenessEntry> _awareness = [];
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

    /// <summary>Removes the client; returns the awareness update announcing its departure, if it had states.</summary>
    public byte[]? Leave(YWebSocketClient client)
    {
        lock (_gate)
        {
            _clients.Remove(client);
            var removals = new List<AwarenessEntry>();
            foreach (var id in client.ControlledAwarenessClients())
            {
                if (_awareness.Remove(id, out var last) && !last.IsRemoval)
                {
                    removals.Add(new AwarenessEntry(id, last.Clock + 1, "null"));
                }
            }

            return removals.Count == 0 ? null : AwarenessUpdate.Encode(removals);
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

    /// <summary>Records the newer of each entry (by clock), as y-protocols' awareness does.</summary>
    public void Remember(YWebSocketClient from, IReadOnlyList<AwarenessEntry> entries)
    {
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                from.Controls(entry.ClientId);
                if (!_awareness.TryGetValue(entry.ClientId, out var known) || known.Clock <= entry.Clock)
                {
                    _awareness[entry.ClientId] = entry;
                }
            }
        }
    }

    /// <summary>All live awareness states as one update, or null when there are none.</summary>
    public byte[]? CurrentAwareness()
    {
        lock (_gate)
        {
            var live = _awareness.Values.Where(e => !e.IsRemoval).ToList();
            return live.Count == 0 ? null : AwarenessUpdate.Encode(live);
        }
    }
}
