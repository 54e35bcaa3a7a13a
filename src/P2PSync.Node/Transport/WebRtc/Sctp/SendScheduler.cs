namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// The send queue, one FIFO per stream, served round robin one whole message at a time: after a
/// message has been cut into DATA chunks the next stream with something queued gets its turn, so
/// a bulk channel cannot starve a small one behind it. Without I-DATA (RFC 8260, which Chromium
/// does not negotiate) a message's fragments must take consecutive TSNs, so a message that has
/// started stays at the head until it is finished; a turn is therefore a message, not a chunk.
/// </summary>
internal sealed class SendScheduler
{
    private readonly Dictionary<ushort, Queue<OutgoingMessage>> _queues = [];

    // Streams with queued messages in turn order; the head is the stream being served.
    private readonly LinkedList<ushort> _turns = new();

    /// <summary>Messages queued on all streams.</summary>
    public int Count { get; private set; }

    /// <summary>Streams with at least one message queued.</summary>
    public IEnumerable<ushort> Streams => _queues.Keys;

    public bool HasQueued(ushort streamId) => _queues.ContainsKey(streamId);

    public void Enqueue(OutgoingMessage message)
    {
        if (!_queues.TryGetValue(message.StreamId, out var queue))
        {
            queue = new Queue<OutgoingMessage>();
            _queues[message.StreamId] = queue;
            _turns.AddLast(message.StreamId);
        }

        queue.Enqueue(message);
        Count++;
    }

    /// <summary>The message to cut chunks from next: the one in progress, else the head of the stream whose turn it is.</summary>
    public OutgoingMessage Peek()
    {
        if (_turns.First is not { } turn)
        {
            throw new InvalidOperationException("nothing is queued");
        }

        return _queues[turn.Value].Peek();
    }

    /// <summary>Removes the message <see cref="Peek"/> returned (sent whole, or dropped) and passes the turn to the next stream.</summary>
    public void CompleteHead()
    {
        var streamId = _turns.First!.Value;
        var queue = _queues[streamId];
        queue.Dequeue();
        Count--;
        _turns.RemoveFirst();
        if (queue.Count == 0)
        {
            _queues.Remove(streamId);
        }
        else
        {
            _turns.AddLast(streamId);
        }
    }

    /// <summary>Takes <paramref name="message"/> out wherever it waits (an abandoned message); a no-op if it is not queued.</summary>
    public void Remove(OutgoingMessage message)
    {
        if (!_queues.TryGetValue(message.StreamId, out var queue) || !queue.Contains(message))
        {
            return;
        }

        if (ReferenceEquals(queue.Peek(), message) && _turns.First!.Value == message.StreamId)
        {
            CompleteHead();
            return;
        }

        var kept = queue.Where(m => !ReferenceEquals(m, message)).ToList();
        queue.Clear();
        foreach (var m in kept)
        {
            queue.Enqueue(m);
        }

        Count--;
        if (queue.Count == 0)
        {
            _queues.Remove(message.StreamId);
            _turns.Remove(message.StreamId);
        }
    }
}
