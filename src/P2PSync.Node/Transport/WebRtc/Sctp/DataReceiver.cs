using P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// The receive half of an association (RFC 9260 §6.2, notes §3.4): tracks the cumulative TSN and the
/// TSNs received above it (for gap blocks), collects duplicates, reassembles fragments and releases
/// ordered messages per stream in SSN order. It only ever returns messages; the association decides
/// when to SACK.
/// </summary>
internal sealed class DataReceiver
{
    // Gap offsets in a SACK are 16 bits: a TSN further ahead than this could never be reported.
    private const uint MaxTsnAhead = 65535;

    private readonly int _bufferBytes;
    private readonly HashSet<uint> _above = [];
    private readonly Dictionary<uint, DataChunk> _fragments = [];
    private readonly Dictionary<ushort, InboundStream> _streams = [];
    private readonly List<uint> _duplicates = [];

    public DataReceiver(uint peerInitialTsn, int bufferBytes)
    {
        CumulativeTsn = peerInitialTsn - 1;
        _bufferBytes = bufferBytes;
    }

    public uint CumulativeTsn { get; private set; }

    /// <summary>Payload bytes held: fragments not yet whole plus whole ordered messages waiting for an earlier SSN.</summary>
    public int BytesHeld { get; private set; }

    public uint Window => (uint)Math.Max(0, _bufferBytes - BytesHeld);

    public bool HasGaps => _above.Count > 0;

    public bool HasDuplicates => _duplicates.Count > 0;

    public DataReceiveResult Receive(DataChunk chunk, List<ReceivedMessage> delivered)
    {
        var tsn = chunk.Tsn;
        if (SerialNumber.Le(tsn, CumulativeTsn) || _above.Contains(tsn))
        {
            if (_duplicates.Count < 16)
            {
                _duplicates.Add(tsn);
            }

            return DataReceiveResult.Duplicate;
        }

        var ahead = tsn - CumulativeTsn;
        if (ahead > MaxTsnAhead)
        {
            return DataReceiveResult.DroppedNoRoom;
        }

        // Take the next TSN in sequence even with a full buffer: that is how the window reopens when
        // it is full of out-of-order data. A hard ceiling (buffer + 25 %) still holds, so a peer that
        // streams fragments of a message that never ends cannot grow our memory without bound; our
        // announced max-message-size is far below the buffer, so honest peers never meet it.
        var limit = ahead == 1 ? _bufferBytes + (_bufferBytes / 4) : _bufferBytes;
        if (BytesHeld + chunk.Payload.Length > limit)
        {
            return DataReceiveResult.DroppedNoRoom;
        }

        MarkReceived(tsn);
        if (chunk.IsBegin && chunk.IsEnd)
        {
            Complete(new ReceivedMessage(chunk.StreamId, chunk.Ssn, chunk.Ppid, chunk.IsUnordered, chunk.Payload.ToArray()), delivered);
            return DataReceiveResult.Accepted;
        }

        _fragments[tsn] = chunk;
        BytesHeld += chunk.Payload.Length;

        // A message can only have become whole if this fragment is its end or joined a run that
        // continues after it; checking anything else would walk the run on every fragment (quadratic).
        if (chunk.IsEnd || _fragments.ContainsKey(tsn + 1))
        {
            TryReassemble(tsn, delivered);
        }
        return DataReceiveResult.Accepted;
    }

    /// <summary>Builds a SACK for the current state and forgets the duplicates it reports.</summary>
    public SackChunk BuildSack(int maxGapBlocks)
    {
        var blocks = new List<GapAckBlock>();
        if (_above.Count > 0)
        {
            var offsets = new List<uint>(_above.Count);
            foreach (var tsn in _above)
            {
                offsets.Add(tsn - CumulativeTsn);
            }

            offsets.Sort();
            var start = offsets[0];
            var end = start;
            for (var i = 1; i <= offsets.Count && blocks.Count < maxGapBlocks; i++)
            {
                if (i < offsets.Count && offsets[i] == end + 1)
                {
                    end = offsets[i];
                    continue;
                }

                blocks.Add(new GapAckBlock((ushort)start, (ushort)end));
                if (i < offsets.Count)
                {
                    start = end = offsets[i];
                }
            }
        }

        var sack = new SackChunk(CumulativeTsn, Window, blocks, _duplicates.ToArray());
        _duplicates.Clear();
        return sack;
    }

    /// <summary>FORWARD TSN (RFC 3758 §3.6): skip to <paramref name="forward"/>'s TSN, dropping what lies below it and releasing what waited on it.</summary>
    public void Forward(ForwardTsnChunk forward, List<ReceivedMessage> delivered)
    {
        var newCum = forward.NewCumulativeTsn;
        if (SerialNumber.Le(newCum, CumulativeTsn) || newCum - CumulativeTsn > MaxTsnAhead)
        {
            return;
        }

        _above.RemoveWhere(tsn => SerialNumber.Le(tsn, newCum));
        foreach (var tsn in _fragments.Keys.Where(tsn => SerialNumber.Le(tsn, newCum)).ToList())
        {
            BytesHeld -= _fragments[tsn].Payload.Length;
            _fragments.Remove(tsn);
        }

        CumulativeTsn = newCum;
        while (_above.Remove(CumulativeTsn + 1))
        {
            CumulativeTsn++;
        }

        foreach (var skipped in forward.Streams)
        {
            var stream = Stream(skipped.StreamId);
            foreach (var ssn in stream.Waiting.Keys.Where(ssn => SerialNumber.Le(ssn, skipped.Ssn)).OrderBy(ssn => (ushort)(ssn - stream.NextSsn)).ToList())
            {
                var message = stream.Waiting[ssn];
                stream.Waiting.Remove(ssn);
                BytesHeld -= message.Payload.Length;
                delivered.Add(message);
            }

            if (SerialNumber.Le(stream.NextSsn, skipped.Ssn))
            {
                stream.NextSsn = (ushort)(skipped.Ssn + 1);
            }

            Drain(stream, delivered);
        }
    }

    /// <summary>The peer reset its outgoing side of <paramref name="streamId"/>: the next message on it has SSN 0.</summary>
    public void ResetIncoming(ushort streamId)
    {
        if (_streams.Remove(streamId, out var stream))
        {
            foreach (var message in stream.Waiting.Values)
            {
                BytesHeld -= message.Payload.Length;
            }
        }
    }

    private void MarkReceived(uint tsn)
    {
        if (tsn == CumulativeTsn + 1)
        {
            CumulativeTsn = tsn;
            while (_above.Remove(CumulativeTsn + 1))
            {
                CumulativeTsn++;
            }
        }
        else
        {
            _above.Add(tsn);
        }
    }

    private void TryReassemble(uint tsn, List<ReceivedMessage> delivered)
    {
        var anchor = _fragments[tsn];
        var first = tsn;
        while (!_fragments[first].IsBegin)
        {
            if (!_fragments.TryGetValue(first - 1, out var previous) || previous.IsEnd || !SameMessage(anchor, previous))
            {
                return;
            }

            first--;
        }

        var last = tsn;
        while (!_fragments[last].IsEnd)
        {
            if (!_fragments.TryGetValue(last + 1, out var next) || next.IsBegin || !SameMessage(anchor, next))
            {
                return;
            }

            last++;
        }

        var length = 0;
        for (var t = first; t != last + 1; t++)
        {
            length += _fragments[t].Payload.Length;
        }

        var payload = new byte[length];
        var at = 0;
        for (var t = first; t != last + 1; t++)
        {
            var piece = _fragments[t].Payload;
            piece.Span.CopyTo(payload.AsSpan(at));
            at += piece.Length;
            _fragments.Remove(t);
        }

        BytesHeld -= length;
        Complete(new ReceivedMessage(anchor.StreamId, anchor.Ssn, anchor.Ppid, anchor.IsUnordered, payload), delivered);
    }

    // Fragments of one message share stream and ordering; ordered ones share the SSN too (RFC 9260 §6.9).
    private static bool SameMessage(DataChunk a, DataChunk b) =>
        a.StreamId == b.StreamId && a.IsUnordered == b.IsUnordered && (a.IsUnordered || a.Ssn == b.Ssn);

    private void Complete(ReceivedMessage message, List<ReceivedMessage> delivered)
    {
        if (message.Unordered)
        {
            delivered.Add(message);
            return;
        }

        var stream = Stream(message.StreamId);
        if (message.Ssn == stream.NextSsn)
        {
            delivered.Add(message);
            stream.NextSsn++;
            Drain(stream, delivered);
        }
        else if (SerialNumber.Lt(stream.NextSsn, message.Ssn) && stream.Waiting.TryAdd(message.Ssn, message))
        {
            BytesHeld += message.Payload.Length;
        }
    }

    private void Drain(InboundStream stream, List<ReceivedMessage> delivered)
    {
        while (stream.Waiting.Remove(stream.NextSsn, out var next))
        {
            BytesHeld -= next.Payload.Length;
            delivered.Add(next);
            stream.NextSsn++;
        }
    }

    private InboundStream Stream(ushort streamId)
    {
        if (!_streams.TryGetValue(streamId, out var stream))
        {
            stream = new InboundStream();
            _streams[streamId] = stream;
        }

        return stream;
    }
}
