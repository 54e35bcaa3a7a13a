using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;
using GC = P2PSync.Crdt.Structs.GC;

namespace P2PSync.Crdt.Updates;

/// <summary>
/// Doc-less update utilities (yjs utils/updates.js): merge, diff, state vector from update,
/// meta, and v1/v2 conversion. Outputs are byte-identical to yjs for the same inputs. Every
/// entry point throws only <see cref="UpdateFormatException"/> for malformed input.
/// </summary>
internal static class UpdateUtils
{
    public static byte[] MergeUpdates(IReadOnlyList<byte[]> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        return Guard(() => Merge(updates, v2: false));
    }

    public static byte[] MergeUpdatesV2(IReadOnlyList<byte[]> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        return Guard(() => Merge(updates, v2: true));
    }

    public static byte[] DiffUpdate(ReadOnlyMemory<byte> update, ReadOnlyMemory<byte> stateVector) =>
        Guard(() => Diff(update, stateVector, v2: false));

    public static byte[] DiffUpdateV2(ReadOnlyMemory<byte> update, ReadOnlyMemory<byte> stateVector) =>
        Guard(() => Diff(update, stateVector, v2: true));

    public static byte[] EncodeStateVectorFromUpdate(ReadOnlyMemory<byte> update) =>
        Guard(() => StateVectorFromUpdate(update, v2: false));

    public static byte[] EncodeStateVectorFromUpdateV2(ReadOnlyMemory<byte> update) =>
        Guard(() => StateVectorFromUpdate(update, v2: true));

    public static UpdateMeta ParseUpdateMeta(ReadOnlyMemory<byte> update) =>
        Guard(() => ParseMeta(update, v2: false));

    public static UpdateMeta ParseUpdateMetaV2(ReadOnlyMemory<byte> update) =>
        Guard(() => ParseMeta(update, v2: true));

    public static byte[] ConvertUpdateFormatV1ToV2(ReadOnlyMemory<byte> update) =>
        Guard(() => Convert(update, fromV2: false, toV2: true));

    public static byte[] ConvertUpdateFormatV2ToV1(ReadOnlyMemory<byte> update) =>
        Guard(() => Convert(update, fromV2: true, toV2: false));

    private static IUpdateDecoder CreateDecoder(ReadOnlyMemory<byte> update, bool v2) =>
        v2 ? new UpdateDecoderV2(update) : new UpdateDecoderV1(update);

    private static IUpdateEncoder CreateEncoder(bool v2) =>
        v2 ? new UpdateEncoderV2() : new UpdateEncoderV1();

    private static byte[] Merge(IReadOnlyList<byte[]> updates, bool v2)
    {
        if (updates.Count == 1)
        {
            // yjs hands back the single input unchanged (and unvalidated); we copy it so the
            // caller's array is never aliased by the result.
            return (byte[])updates[0].Clone();
        }
        var decoders = new IUpdateDecoder[updates.Count];
        for (var i = 0; i < updates.Count; i++)
        {
            decoders[i] = CreateDecoder(updates[i], v2);
        }
        var readers = new List<LazyStructReader>(decoders.Length);
        foreach (var decoder in decoders)
        {
            readers.Add(new LazyStructReader(decoder, filterSkips: true));
        }
        var encoder = CreateEncoder(v2);
        var writer = new LazyStructWriter(encoder);
        // The struct being assembled; it is written once nothing more can be merged into it.
        AbstractStruct? currWrite = null;
        while (true)
        {
            readers.RemoveAll(static r => r.Curr is null);
            // Higher clients first; for one client, lower clocks first.
            JsArraySort.Sort(readers, CompareReaders);
            if (readers.Count == 0)
            {
                break;
            }
            var currDecoder = readers[0];
            var firstClient = currDecoder.Curr!.Id.Client;
            if (currWrite is not null)
            {
                var curr = currDecoder.Curr;
                var iterated = false;
                // Skip whatever is already covered by currWrite.
                while (curr is not null
                    && curr.Id.Clock + curr.Length <= currWrite.Id.Clock + currWrite.Length
                    && curr.Id.Client >= currWrite.Id.Client)
                {
                    curr = currDecoder.Next();
                    iterated = true;
                }
                if (curr is null
                    || curr.Id.Client != firstClient
                    || (iterated && curr.Id.Clock > currWrite.Id.Clock + currWrite.Length))
                {
                    // Another reader may now hold the next struct: sort again.
                    continue;
                }
                if (firstClient != currWrite.Id.Client)
                {
                    writer.Write(currWrite, 0);
                    currWrite = curr;
                    currDecoder.Next();
                }
                else if (currWrite.Id.Clock + currWrite.Length < curr.Id.Clock)
                {
                    // A gap: no update has these clocks, so mark them with a Skip.
                    if (currWrite is Skip)
                    {
                        // yjs extends the Skip over curr as well, which drops curr; we keep
                        // that so merged bytes stay identical.
                        currWrite.Length = curr.Id.Clock + curr.Length - currWrite.Id.Clock;
                    }
                    else
                    {
                        writer.Write(currWrite, 0);
                        var gapStart = currWrite.Id.Clock + currWrite.Length;
                        currWrite = new Skip(new ID(firstClient, gapStart), curr.Id.Clock - gapStart);
                    }
                }
                else
                {
                    var diff = currWrite.Id.Clock + currWrite.Length - curr.Id.Clock;
                    if (diff > 0)
                    {
                        if (currWrite is Skip)
                        {
                            // Prefer cutting the Skip: the other struct carries real content.
                            currWrite.Length -= diff;
                        }
                        else
                        {
                            curr = SliceStruct(curr, diff);
                        }
                    }
                    if (!currWrite.MergeWith(curr))
                    {
                        writer.Write(currWrite, 0);
                        currWrite = curr;
                        currDecoder.Next();
                    }
                }
            }
            else
            {
                currWrite = currDecoder.Curr;
                currDecoder.Next();
            }
            for (var next = currDecoder.Curr;
                 next is not null
                 && next.Id.Client == firstClient
                 && next.Id.Clock == currWrite!.Id.Clock + currWrite.Length
                 && next is not Skip;
                 next = currDecoder.Next())
            {
                writer.Write(currWrite, 0);
                currWrite = next;
            }
        }
        if (currWrite is not null)
        {
            writer.Write(currWrite, 0);
        }
        writer.Finish();
        var deleteSets = new List<DeleteSet>(decoders.Length);
        foreach (var decoder in decoders)
        {
            deleteSets.Add(DeleteSet.ReadDeleteSet(decoder));
        }
        WriteDeleteSet(encoder, DeleteSet.MergeDeleteSets(deleteSets), v2);
        return encoder.ToArray();
    }

    private static int CompareReaders(LazyStructReader a, LazyStructReader b)
    {
        var x = a.Curr!;
        var y = b.Curr!;
        if (x.Id.Client == y.Id.Client)
        {
            var clockOrder = x.Id.Clock.CompareTo(y.Id.Clock);
            if (clockOrder != 0)
            {
                return clockOrder;
            }
            // Deliberately the same (inconsistent for GC vs Item) answer yjs gives.
            return x.GetType() == y.GetType() ? 0 : x is Skip ? 1 : -1;
        }
        return y.Id.Client.CompareTo(x.Id.Client);
    }

    /// <summary>The part of <paramref name="left"/> from <paramref name="diff"/> on (yjs sliceStruct).</summary>
    private static AbstractStruct SliceStruct(AbstractStruct left, int diff)
    {
        var id = new ID(left.Id.Client, left.Id.Clock + diff);
        switch (left)
        {
            case GC:
                return new GC(id, left.Length - diff);
            case Skip:
                return new Skip(id, left.Length - diff);
            default:
            {
                var item = (Item)left;
                var sliced = new Item(
                    id,
                    null,
                    new ID(id.Client, id.Clock - 1),
                    null,
                    item.RightOrigin,
                    null,
                    item.ParentSub,
                    item.Content.Splice(diff));
                if (item.ParentYKey is { } key)
                {
                    sliced.ParentYKey = key;
                }
                else if (item.ParentId is { } parentId)
                {
                    sliced.ParentId = parentId;
                }
                return sliced;
            }
        }
    }

    private static byte[] Diff(ReadOnlyMemory<byte> update, ReadOnlyMemory<byte> stateVector, bool v2)
    {
        var state = UpdateCodec.DecodeStateVector(stateVector);
        var encoder = CreateEncoder(v2);
        var writer = new LazyStructWriter(encoder);
        var decoder = CreateDecoder(update, v2);
        var reader = new LazyStructReader(decoder, filterSkips: false);
        while (reader.Curr is { } curr)
        {
            var currClient = curr.Id.Client;
            var svClock = state.TryGetValue(currClient, out var known) ? known : 0;
            if (curr is Skip)
            {
                // The first written struct must not be a skip.
                reader.Next();
                continue;
            }
            if (curr.Id.Clock + curr.Length > svClock)
            {
                writer.Write(curr, Math.Max(svClock - curr.Id.Clock, 0));
                reader.Next();
                while (reader.Curr is { } following && following.Id.Client == currClient)
                {
                    writer.Write(following, 0);
                    reader.Next();
                }
            }
            else
            {
                // Everything the state vector already covers is dropped.
                while (reader.Curr is { } known2 && known2.Id.Client == currClient && known2.Id.Clock + known2.Length <= svClock)
                {
                    reader.Next();
                }
            }
        }
        writer.Finish();
        WriteDeleteSet(encoder, DeleteSet.ReadDeleteSet(decoder), v2);
        return encoder.ToArray();
    }

    /// <summary>
    /// For each client, the clock up to which the update has every struct starting from 0
    /// (yjs encodeStateVectorFromUpdate: counting stops at a Skip or when clock 0 is missing).
    /// </summary>
    private static byte[] StateVectorFromUpdate(ReadOnlyMemory<byte> update, bool v2)
    {
        var reader = new LazyStructReader(CreateDecoder(update, v2), filterSkips: false);
        var entries = new List<(ulong Client, int Clock)>();
        var curr = reader.Curr;
        if (curr is not null)
        {
            var currClient = curr.Id.Client;
            var stopCounting = curr.Id.Clock != 0;
            var currClock = stopCounting ? 0 : curr.Id.Clock + curr.Length;
            for (; curr is not null; curr = reader.Next())
            {
                if (currClient != curr.Id.Client)
                {
                    if (currClock != 0)
                    {
                        entries.Add((currClient, currClock));
                    }
                    currClient = curr.Id.Client;
                    currClock = 0;
                    stopCounting = curr.Id.Clock != 0;
                }
                if (curr is Skip)
                {
                    stopCounting = true;
                }
                if (!stopCounting)
                {
                    currClock = curr.Id.Clock + curr.Length;
                }
            }
            if (currClock != 0)
            {
                entries.Add((currClient, currClock));
            }
        }
        // The same bytes for v1 and v2: a state vector is always plain varuints.
        var writer = new Lib0Writer();
        writer.WriteVarUint((ulong)entries.Count);
        foreach (var (client, clock) in entries)
        {
            writer.WriteVarUint(client);
            writer.WriteVarUint((ulong)clock);
        }
        return writer.ToArray();
    }

    private static UpdateMeta ParseMeta(ReadOnlyMemory<byte> update, bool v2)
    {
        var from = new Dictionary<ulong, int>();
        var to = new Dictionary<ulong, int>();
        var reader = new LazyStructReader(CreateDecoder(update, v2), filterSkips: false);
        var curr = reader.Curr;
        if (curr is not null)
        {
            var currClient = curr.Id.Client;
            var currClock = curr.Id.Clock;
            from[currClient] = currClock;
            for (; curr is not null; curr = reader.Next())
            {
                if (currClient != curr.Id.Client)
                {
                    to[currClient] = currClock;
                    from[curr.Id.Client] = curr.Id.Clock;
                    currClient = curr.Id.Client;
                }
                currClock = curr.Id.Clock + curr.Length;
            }
            to[currClient] = currClock;
        }
        return new UpdateMeta(from, to);
    }

    private static byte[] Convert(ReadOnlyMemory<byte> update, bool fromV2, bool toV2)
    {
        var decoder = CreateDecoder(update, fromV2);
        var reader = new LazyStructReader(decoder, filterSkips: false);
        var encoder = CreateEncoder(toV2);
        var writer = new LazyStructWriter(encoder);
        for (var curr = reader.Curr; curr is not null; curr = reader.Next())
        {
            writer.Write(curr, 0);
        }
        writer.Finish();
        WriteDeleteSet(encoder, DeleteSet.ReadDeleteSet(decoder), toV2);
        return encoder.ToArray();
    }

    /// <summary>
    /// Writes the delete set as read. v2 can only express sorted, non-empty ranges per client;
    /// a v1 input (or a v2 input repeating a client) may have others, for which yjs throws or
    /// writes garbage. We sort, merge and drop empty ranges in that case instead.
    /// </summary>
    private static void WriteDeleteSet(IUpdateEncoder encoder, DeleteSet ds, bool v2)
    {
        if (v2 && !IsEncodableAsV2(ds))
        {
            DeleteSet.SortAndMergeDeleteSet(ds);
            foreach (var client in ds.Clients.Keys.ToArray())
            {
                var items = ds.Clients[client];
                items.RemoveAll(static d => d.Len == 0);
                if (items.Count == 0)
                {
                    ds.Clients.Remove(client);
                }
            }
        }
        DeleteSet.WriteDeleteSet(encoder, ds);
    }

    private static bool IsEncodableAsV2(DeleteSet ds)
    {
        foreach (var items in ds.Clients.Values)
        {
            var end = 0;
            foreach (var item in items)
            {
                if (item.Len <= 0 || item.Clock < end)
                {
                    return false;
                }
                end = item.Clock + item.Len;
            }
        }
        return true;
    }

    /// <summary>
    /// Last line of defence: decoding code is written to throw only UpdateFormatException, but a
    /// missed case must not surface as an arbitrary exception type to callers parsing untrusted bytes.
    /// </summary>
    private static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or InvalidOperationException
            or InvalidCastException or NullReferenceException or OverflowException or KeyNotFoundException
            or FormatException or NotSupportedException)
        {
            throw new UpdateFormatException($"Malformed update ({e.GetType().Name}: {e.Message}).", e);
        }
    }
}
