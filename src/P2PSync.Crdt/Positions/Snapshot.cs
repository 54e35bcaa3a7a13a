using P2PSync.Crdt.Core;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Positions;

/// <summary>
/// The state of a document at one moment, as a state vector plus the set of deleted ranges
/// (Yjs <c>Snapshot</c>). A doc that keeps its history (<c>Gc = false</c>) can be read or
/// restored as it was at a snapshot; see <see cref="Y.CreateDocFromSnapshot"/>.
/// </summary>
public sealed partial class Snapshot
{
    // Key of the per-transaction set of snapshots whose boundaries were already split, so that
    // asking for the same snapshot twice in one transaction does the work once.
    private static readonly object SplitDoneMetaKey = new();

    internal Snapshot(DeleteSet ds, Dictionary<ulong, int> sv)
    {
        Ds = ds;
        Sv = sv;
    }

    /// <summary>Everything that was deleted at the time of the snapshot (sorted and merged).</summary>
    internal DeleteSet Ds { get; }

    /// <summary>For each client, the first clock the snapshot does not include.</summary>
    internal Dictionary<ulong, int> Sv { get; }

    /// <summary>For each client, the first clock the snapshot does not include.</summary>
    public IReadOnlyDictionary<ulong, int> StateVector => Sv;

    internal static Snapshot CreateSnapshot(DeleteSet ds, Dictionary<ulong, int> sv) => new(ds, sv);

    /// <summary>A snapshot that contains nothing. A new instance each time, since snapshots are mutable inside.</summary>
    internal static Snapshot EmptySnapshot() => new(DeleteSet.CreateDeleteSet(), new Dictionary<ulong, int>());

    /// <summary>The current state of <paramref name="doc"/> (Yjs <c>snapshot(doc)</c>).</summary>
    internal static Snapshot FromDoc(Doc doc) =>
        new(DeleteSet.CreateDeleteSetFromStructStore(doc.Store), StructStore.GetStateVector(doc.Store));

    /// <summary>Whether two snapshots have the same state vector and the same deleted ranges.</summary>
    internal static bool EqualSnapshots(Snapshot snap1, Snapshot snap2)
    {
        var sv1 = snap1.Sv;
        var sv2 = snap2.Sv;
        var ds1 = snap1.Ds.Clients;
        var ds2 = snap2.Ds.Clients;
        if (sv1.Count != sv2.Count || ds1.Count != ds2.Count)
        {
            return false;
        }
        foreach (var (client, clock) in sv1)
        {
            if (!sv2.TryGetValue(client, out var other) || other != clock)
            {
                return false;
            }
        }
        foreach (var (client, items1) in ds1)
        {
            if (!ds2.TryGetValue(client, out var items2) || items1.Count != items2.Count)
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

    /// <summary>
    /// Whether <paramref name="item"/> existed and was not deleted at <paramref name="snapshot"/>;
    /// without a snapshot, whether it is not deleted now.
    /// </summary>
    internal static bool IsVisible(Item item, Snapshot? snapshot)
    {
        if (snapshot is null)
        {
            return !item.Deleted;
        }
        return snapshot.Sv.TryGetValue(item.Id.Client, out var clock) &&
               clock > item.Id.Clock &&
               !DeleteSet.IsDeleted(snapshot.Ds, item.Id);
    }

    /// <summary>
    /// Splits the structs of the doc at every boundary of <paramref name="snapshot"/> (its state
    /// vector and its deleted ranges), so that each item is either wholly inside or wholly outside
    /// it and <see cref="IsVisible"/> can be asked per item.
    /// </summary>
    internal static void SplitSnapshotAffectedStructs(Transaction transaction, Snapshot snapshot)
    {
        HashSet<Snapshot> done;
        if (transaction.Meta.TryGetValue(SplitDoneMetaKey, out var existing) && existing is HashSet<Snapshot> set)
        {
            done = set;
        }
        else
        {
            done = new HashSet<Snapshot>(ReferenceEqualityComparer.Instance);
            transaction.Meta[SplitDoneMetaKey] = done;
        }
        if (!done.Add(snapshot))
        {
            return;
        }
        var store = transaction.Doc.Store;
        foreach (var (client, clock) in snapshot.Sv)
        {
            if (clock < StructStore.GetState(store, client))
            {
                // A GC at the boundary needs no split, so the struct variant (which tolerates GCs) is used.
                StructStore.GetStructCleanStart(transaction, new ID(client, clock));
            }
        }
        DeleteSet.IterateDeletedStructs(transaction, snapshot.Ds, static _ => { });
    }
}
