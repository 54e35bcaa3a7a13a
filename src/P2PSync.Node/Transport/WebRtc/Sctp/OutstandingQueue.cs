namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// Chunks sent and not yet covered by the cumulative ack, in TSN order. TSNs are consecutive, so a
/// TSN maps to an index by subtraction: gap blocks and cum-ack advances cost O(chunks acked).
/// </summary>
internal sealed class OutstandingQueue
{
    private readonly List<OutstandingChunk> _items = [];
    private int _head;

    public int Count => _items.Count - _head;

    public OutstandingChunk Peek() => _items[_head];

    public void Add(OutstandingChunk chunk) => _items.Add(chunk);

    public OutstandingChunk Dequeue()
    {
        var chunk = _items[_head];
        _items[_head] = null!;
        _head++;
        if (_head == _items.Count)
        {
            _items.Clear();
            _head = 0;
        }
        else if (_head > 1024 && _head > _items.Count / 2)
        {
            // Compact now and then instead of on every dequeue: amortised O(1).
            _items.RemoveRange(0, _head);
            _head = 0;
        }

        return chunk;
    }

    public OutstandingChunk? Find(uint tsn)
    {
        if (Count == 0)
        {
            return null;
        }

        var offset = tsn - _items[_head].Tsn;
        return offset < (uint)Count ? _items[_head + (int)offset] : null;
    }

    public IEnumerable<OutstandingChunk> InOrder()
    {
        for (var i = _head; i < _items.Count; i++)
        {
            yield return _items[i];
        }
    }
}
