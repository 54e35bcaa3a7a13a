using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Core;

/// <summary>
/// Deleted ranges per client. A transaction collects them unsorted; they are sorted and merged
/// before anyone reads them. Decoded delete sets are already sorted and merged.
/// </summary>
internal sealed class DeleteSet
{
    public Dictionary<ulong, List<DeleteItem>> Clients { get; } = new();

    /// <summary>
    /// Calls <paramref name="f"/> for every struct covered by <paramref name="ds"/> that the doc has,
    /// splitting structs so that exactly the deleted ranges are visited.
    /// </summary>
    public static void IterateDeletedStructs(Transaction transaction, DeleteSet ds, Action<AbstractStruct> f)
    {
        foreach (var (client, deletes) in ds.Clients)
        {
            if (!transaction.Doc.Store.Clients.TryGetValue(client, out var structs))
            {
                continue;
            }
            var lastStruct = structs[^1];
            var clockState = lastStruct.Id.Clock + lastStruct.Length;
            for (var i = 0; i < deletes.Count && deletes[i].Clock < clockState; i++)
            {
                var del = deletes[i];
                StructStore.IterateStructs(transaction, structs, del.Clock, del.Len, f);
            }
        }
    }

    /// <summary>Index of the range containing <paramref name="clock"/>, or -1 (the list must be sorted and merged).</summary>
    public static int FindIndexDS(List<DeleteItem> dis, int clock)
    {
        var left = 0;
        var right = dis.Count - 1;
        while (left <= right)
        {
            var midIndex = (left + right) >>> 1;
            var mid = dis[midIndex];
            if (mid.Clock <= clock)
            {
                if (clock < mid.Clock + mid.Len)
                {
                    return midIndex;
                }
                left = midIndex + 1;
            }
            else
            {
                right = midIndex - 1;
            }
        }
        return -1;
    }

    public static bool IsDeleted(DeleteSet ds, ID id) =>
        ds.Clients.TryGetValue(id.Client, out var dis) && FindIndexDS(dis, id.Clock) >= 0;

    /// <summary>Sorts every client's ranges by clock and merges the ones that touch or overlap.</summary>
    public static void SortAndMergeDeleteSet(DeleteSet ds)
    {
        foreach (var (_, dels) in ds.Clients)
        {
            SortAndMerge(dels);
        }
    }

    private static void SortAndMerge(List<DeleteItem> dels)
    {
        if (dels.Count > 1)
        {
            dels.Sort(static (a, b) => a.Clock.CompareTo(b.Clock));
        }
        // Merge in place: j is where the next surviving range goes.
        int i, j;
        for (i = 1, j = 1; i < dels.Count; i++)
        {
            var left = dels[j - 1];
            var right = dels[i];
            if (left.Clock + left.Len >= right.Clock)
            {
                dels[j - 1] = new DeleteItem(left.Clock, Math.Max(left.Len, right.Clock + right.Len - left.Clock));
            }
            else
            {
                if (j < i)
                {
                    dels[j] = right;
                }
                j++;
            }
        }
        if (j < dels.Count)
        {
            dels.RemoveRange(j, dels.Count - j);
        }
    }

    /// <summary>A new, sorted and merged delete set with the ranges of all <paramref name="dss"/>.</summary>
    public static DeleteSet MergeDeleteSets(IReadOnlyList<DeleteSet> dss)
    {
        var merged = new DeleteSet();
        for (var dssI = 0; dssI < dss.Count; dssI++)
        {
            foreach (var (client, delsLeft) in dss[dssI].Clients)
            {
                if (merged.Clients.ContainsKey(client))
                {
                    continue;
                }
                // First time this client is seen: collect its ranges from this and all following sets.
                var dels = new List<DeleteItem>(delsLeft);
                for (var i = dssI + 1; i < dss.Count; i++)
                {
                    if (dss[i].Clients.TryGetValue(client, out var more))
                    {
                        dels.AddRange(more);
                    }
                }
                merged.Clients[client] = dels;
            }
        }
        SortAndMergeDeleteSet(merged);
        return merged;
    }

    public static void AddToDeleteSet(DeleteSet ds, ulong client, int clock, int length)
    {
        if (!ds.Clients.TryGetValue(client, out var dels))
        {
            dels = new List<DeleteItem>();
            ds.Clients.Add(client, dels);
        }
        dels.Add(new DeleteItem(clock, length));
    }

    public static DeleteSet CreateDeleteSet() => new();

    /// <summary>The sorted and merged delete set of everything the store holds as deleted.</summary>
    public static DeleteSet CreateDeleteSetFromStructStore(StructStore ss)
    {
        var ds = new DeleteSet();
        foreach (var (client, structs) in ss.Clients)
        {
            List<DeleteItem>? dsItems = null;
            for (var i = 0; i < structs.Count; i++)
            {
                var s = structs[i];
                if (!s.Deleted)
                {
                    continue;
                }
                var clock = s.Id.Clock;
                var len = s.Length;
                while (i + 1 < structs.Count && structs[i + 1].Deleted)
                {
                    i++;
                    len += structs[i].Length;
                }
                (dsItems ??= new List<DeleteItem>()).Add(new DeleteItem(clock, len));
            }
            if (dsItems is not null)
            {
                ds.Clients[client] = dsItems;
            }
        }
        return ds;
    }

    /// <summary>Writes clients in descending id order so that equal sets give equal bytes.</summary>
    public static void WriteDeleteSet(IDSEncoder encoder, DeleteSet ds)
    {
        var rest = encoder.RestWriter;
        rest.WriteVarUint((ulong)ds.Clients.Count);
        foreach (var client in SortedDescending(ds.Clients.Keys, ds.Clients.Count))
        {
            var dsItems = ds.Clients[client];
            encoder.ResetDsCurVal();
            rest.WriteVarUint(client);
            rest.WriteVarUint((ulong)dsItems.Count);
            for (var i = 0; i < dsItems.Count; i++)
            {
                var item = dsItems[i];
                encoder.WriteDsClock(item.Clock);
                encoder.WriteDsLen(item.Len);
            }
        }
    }

    /// <summary>
    /// Reads a delete set, validating it: every range must fit the int clock space and every
    /// count is checked against the bytes that remain. Duplicate client entries are appended in order.
    /// </summary>
    public static DeleteSet ReadDeleteSet(IDSDecoder decoder)
    {
        var ds = new DeleteSet();
        foreach (var (client, items) in ReadDeleteSetEntries(decoder))
        {
            if (items.Count == 0)
            {
                continue;
            }
            if (ds.Clients.TryGetValue(client, out var existing))
            {
                existing.AddRange(items);
            }
            else
            {
                ds.Clients.Add(client, items);
            }
        }
        return ds;
    }

    // Delete set: varuint clientCount, clientCount x { varuint client, varuint rangeCount,
    //   rangeCount x { dsClock, dsLen } } where v1 writes clock and len as varuints and v2 writes
    //   the clock as a difference to the previous range's end and len - 1.
    /// <summary>
    /// Reads the delete set entries exactly in wire order (a client may appear twice), validated
    /// like <see cref="ReadDeleteSet"/>. Applying them in this order reproduces Yjs's event order.
    /// </summary>
    public static List<(ulong Client, List<DeleteItem> Items)> ReadDeleteSetEntries(IDSDecoder decoder)
    {
        var rest = decoder.RestReader;
        // Each client entry takes at least two bytes (client, count) of the rest stream.
        var numClients = rest.ReadCount(2);
        var entries = new List<(ulong, List<DeleteItem>)>(Math.Min(numClients, 64));
        for (var i = 0; i < numClients; i++)
        {
            decoder.ResetDsCurVal();
            var client = rest.ReadVarUint();
            // Each range takes at least one byte per number in the rest stream (v1 and v2 alike).
            var numberOfDeletes = rest.ReadCount(2);
            var items = new List<DeleteItem>(Math.Min(numberOfDeletes, 1024));
            for (var d = 0; d < numberOfDeletes; d++)
            {
                var clock = decoder.ReadDsClock();
                var len = decoder.ReadDsLen();
                // Yjs never writes empty ranges (its v2 encoder cannot even express them).
                if (clock < 0 || len <= 0 || (long)clock + len > int.MaxValue)
                {
                    throw new UpdateFormatException($"Delete range {clock}+{len} of client {client} is empty or out of range.");
                }
                items.Add(new DeleteItem(clock, len));
            }
            entries.Add((client, items));
        }
        return entries;
    }

    /// <summary>
    /// Reads a delete set and applies it (Yjs readAndApplyDeleteSet); returns the v2 update of the
    /// ranges the doc does not have yet, or null. The input is fully validated before anything is deleted.
    /// </summary>
    public static byte[]? ReadAndApplyDeleteSet(IDSDecoder decoder, Transaction transaction, StructStore store) =>
        ApplyDeleteSetEntries(ReadDeleteSetEntries(decoder), transaction, store);

    /// <summary>
    /// Applies decoded delete-set entries to the doc and returns a v2 update (without structs) of the
    /// ranges the doc does not have yet, or null if everything was applied.
    /// </summary>
    public static byte[]? ApplyDeleteSetEntries(List<(ulong Client, List<DeleteItem> Items)> entries, Transaction transaction, StructStore store)
    {
        var unappliedDs = new DeleteSet();
        foreach (var (client, items) in entries)
        {
            store.Clients.TryGetValue(client, out var structs);
            var state = StructStore.GetState(store, client);
            for (var d = 0; d < items.Count; d++)
            {
                var clock = items[d].Clock;
                var clockEnd = clock + items[d].Len;
                if (clock >= state)
                {
                    AddToDeleteSet(unappliedDs, client, clock, clockEnd - clock);
                    continue;
                }
                if (state < clockEnd)
                {
                    AddToDeleteSet(unappliedDs, client, state, clockEnd - state);
                }
                // state > clock > = 0, so the client has structs.
                var list = structs!;
                var index = StructStore.FindIndexSS(list, clock);
                var s = list[index];
                // GC structs are deleted already, so only undeleted items are split and deleted.
                if (!s.Deleted && s.Id.Clock < clock)
                {
                    list.Insert(index + 1, Item.SplitItem(transaction, (Item)s, clock - s.Id.Clock));
                    index++;
                }
                while (index < list.Count)
                {
                    s = list[index++];
                    if (s.Id.Clock >= clockEnd)
                    {
                        break;
                    }
                    if (!s.Deleted)
                    {
                        var item = (Item)s;
                        if (clockEnd < item.Id.Clock + item.Length)
                        {
                            list.Insert(index, Item.SplitItem(transaction, item, clockEnd - item.Id.Clock));
                        }
                        item.Delete(transaction);
                    }
                }
            }
        }
        if (unappliedDs.Clients.Count == 0)
        {
            return null;
        }
        // Valid updates list ranges sorted and merged, so this changes nothing for them; hostile
        // ones may not, and the delete-set encoders need sorted, disjoint ranges.
        SortAndMergeDeleteSet(unappliedDs);
        var encoder = new UpdateEncoderV2();
        encoder.RestWriter.WriteVarUint(0);
        WriteDeleteSet(encoder, unappliedDs);
        return encoder.ToArray();
    }

    public static bool EqualDeleteSets(DeleteSet ds1, DeleteSet ds2)
    {
        if (ds1.Clients.Count != ds2.Clients.Count)
        {
            return false;
        }
        foreach (var (client, items1) in ds1.Clients)
        {
            if (!ds2.Clients.TryGetValue(client, out var items2) || items1.Count != items2.Count)
            {
                return false;
            }
            for (var i = 0; i < items1.Count; i++)
            {
                if (items1[i] != items2[i])
                {
                    return false;
                }
            }
        }
        return true;
    }

    internal static ulong[] SortedDescending(IEnumerable<ulong> keys, int count)
    {
        var arr = new ulong[count];
        var i = 0;
        foreach (var k in keys)
        {
            arr[i++] = k;
        }
        Array.Sort(arr);
        Array.Reverse(arr);
        return arr;
    }
}
