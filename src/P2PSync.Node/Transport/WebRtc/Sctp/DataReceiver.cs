using System.Runtime.InteropServices;
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
    private readonly long _maxMessageBytes;
    private readonly HashSet<uint> _above = [];
    private readonly Dictionary<uint, DataChunk> _fragments = [];
    private readonly Dictionary<uint, FragmentRun> _runByHead = [];
    private readonly Dictionary<uint, FragmentRun> _runByTail = [];
    private readonly Dictionary<ushort, InboundStream> _streams = [];
    private readonly List<uint> _duplicates = [];

    /// <param name="maxMessageBytes">
    /// Our announced max-message-size; 0 means none of our own. Either way a message larger than the
    /// buffer could never be completed, so the buffer size is the ceiling.
    /// </param>
    public DataReceiver(uint peerInitialTsn, int bufferBytes, int maxMessageBytes = 0)
    {
        CumulativeTsn = peerInitialTsn - 1;
        _bufferBytes = bufferBytes;
        _maxMessageBytes = maxMessageBytes <= 0 ? bufferBytes : Math.Min(maxMessageBytes, bufferBytes);
    }

    /// <summary>Messages given up on because they grew past our max-message-size (their bytes were freed, their TSNs still acknowledged).</summary>
    public long OversizedMessages { get; private set; }

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
            if (chunk.Payload.Length > _maxMessageBytes)
            {
                OversizedMessages++;
                Complete(new ReceivedMessage(chunk.StreamId, chunk.Ssn, chunk.Ppid, chunk.IsUnordered, [], Discarded: true), delivered);
                return DataReceiveResult.Oversized;
            }

            Complete(new ReceivedMessage(chunk.StreamId, chunk.Ssn, chunk.Ppid, chunk.IsUnordered, OwnedPayload(chunk)), delivered);
            return DataReceiveResult.Accepted;
        }

        return AddFragment(tsn, chunk, delivered);
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

        // Runs that started at or below the new cumulative TSN lose that part (rare: the sender
        // abandons whole messages, so normally the whole run goes).
        foreach (var run in _runByHead.Values.Where(r => SerialNumber.Le(r.Head, newCum)).ToList())
        {
            Unindex(run);
            if (SerialNumber.Gt(run.Tail, newCum))
            {
                run.Head = newCum + 1;
                run.HasBegin = false;
                run.Bytes = 0;
                for (var t = run.Head; t != run.Tail + 1; t++)
                {
                    run.Bytes += _fragments.TryGetValue(t, out var fragment) ? fragment.Payload.Length : 0;
                }

                _runByHead[run.Head] = run;
                _runByTail[run.Tail] = run;
            }
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
                Release(message, delivered);
            }

            if (SerialNumber.Le(stream.NextSsn, skipped.Ssn))
            {
                stream.NextSsn = (ushort)(skipped.Ssn + 1);
            }

            Drain(stream, delivered);
        }
    }

    /// <summary>Streams that have ordered-delivery state (an SSN past 0 or messages waiting).</summary>
    public IEnumerable<ushort> StreamsWithState => _streams.Keys;

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

    // Stores a fragment and joins it to the runs on either side in O(1); a whole run becomes a
    // message, a run that outgrows the limit is discarded on the spot (so it never holds more than
    // the limit plus one fragment).
    private DataReceiveResult AddFragment(uint tsn, DataChunk chunk, List<ReceivedMessage> delivered)
    {
        _fragments[tsn] = chunk;
        BytesHeld += chunk.Payload.Length;
        var run = new FragmentRun(tsn, chunk) { Bytes = chunk.Payload.Length };
        if (!chunk.IsBegin && _runByTail.TryGetValue(tsn - 1, out var left) && !left.HasEnd && left.SameMessage(chunk))
        {
            Unindex(left);
            run = Join(left, run);
        }

        if (!chunk.IsEnd && _runByHead.TryGetValue(tsn + 1, out var right) && !right.HasBegin && right.SameMessage(chunk))
        {
            Unindex(right);
            run = Join(run, right);
        }

        var result = DataReceiveResult.Accepted;
        if (!run.Discarded && run.Bytes > _maxMessageBytes)
        {
            Free(run);
            run.Discarded = true;
            OversizedMessages++;
            result = DataReceiveResult.Oversized;
        }

        if (run.IsWhole)
        {
            Finish(run, delivered);
        }
        else
        {
            _runByHead[run.Head] = run;
            _runByTail[run.Tail] = run;
        }

        return result;
    }

    // first.Tail + 1 == second.Head, same message. A discarded part makes the whole message discarded.
    private FragmentRun Join(FragmentRun first, FragmentRun second)
    {
        if (first.Discarded != second.Discarded)
        {
            Free(first.Discarded ? second : first);
        }
        else if (first.Discarded)
        {
            // Two pieces of one message, each over the limit on its own, were counted twice.
            OversizedMessages--;
        }

        first.Tail = second.Tail;
        first.HasEnd = second.HasEnd;
        first.Bytes += second.Bytes;
        first.Discarded |= second.Discarded;
        return first;
    }

    private void Unindex(FragmentRun run)
    {
        _runByHead.Remove(run.Head);
        _runByTail.Remove(run.Tail);
    }

    private void Free(FragmentRun run)
    {
        for (var t = run.Head; t != run.Tail + 1; t++)
        {
            if (_fragments.Remove(t, out var fragment))
            {
                BytesHeld -= fragment.Payload.Length;
            }
        }
    }

    private void Finish(FragmentRun run, List<ReceivedMessage> delivered)
    {
        if (run.Discarded)
        {
            // Nothing to deliver, but an ordered message still used its SSN: the ones after it must not wait for it.
            Complete(new ReceivedMessage(run.StreamId, run.Ssn, run.Ppid, run.Unordered, [], Discarded: true), delivered);
            return;
        }

        var payload = new byte[run.Bytes];
        var at = 0;
        for (var t = run.Head; t != run.Tail + 1; t++)
        {
            _fragments.Remove(t, out var fragment);
            fragment!.Payload.Span.CopyTo(payload.AsSpan(at));
            at += fragment.Payload.Length;
        }

        BytesHeld -= payload.Length;
        Complete(new ReceivedMessage(run.StreamId, run.Ssn, run.Ppid, run.Unordered, payload), delivered);
    }

    private void Complete(ReceivedMessage message, List<ReceivedMessage> delivered)
    {
        if (message.Unordered)
        {
            Release(message, delivered);
            return;
        }

        var stream = Stream(message.StreamId);
        if (message.Ssn == stream.NextSsn)
        {
            Release(message, delivered);
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
            Release(next, delivered);
            stream.NextSsn++;
        }
    }

    // A parsed DATA chunk already owns a fresh array holding exactly its payload (DataChunk.Read
    // copies it out of the packet), so a one-chunk message can keep that array instead of a second copy.
    private static byte[] OwnedPayload(DataChunk chunk) =>
        MemoryMarshal.TryGetArray(chunk.Payload, out var segment) && segment.Array is { } array && segment.Offset == 0 && segment.Count == array.Length
            ? array
            : chunk.Payload.ToArray();

    private static void Release(ReceivedMessage message, List<ReceivedMessage> delivered)
    {
        if (!message.Discarded)
        {
            delivered.Add(message);
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
