using System.Runtime.ExceptionServices;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;
using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Core;

// What happens when the outermost transaction ends: observers, garbage collection, struct
// merging and the update events, for each queued transaction in turn.
public sealed partial class Transaction
{
    /// <summary>
    /// Cleans up the queued transactions in order, including the ones their observers add while
    /// this runs. Every step runs even if an observer or listener throws; the first exception is
    /// rethrown at the end.
    /// </summary>
    private static void CleanupTransactions(List<Transaction> transactionCleanups)
    {
        ExceptionDispatchInfo? firstError = null;
        for (var i = 0; i < transactionCleanups.Count; i++)
        {
            var transaction = transactionCleanups[i];
            try
            {
                CallObservers(transaction);
            }
            catch (Exception e)
            {
                firstError ??= ExceptionDispatchInfo.Capture(e);
            }
            FinishTransaction(transaction, ref firstError);
        }
        var doc = transactionCleanups[0].Doc;
        foreach (var transaction in transactionCleanups)
        {
            if (transaction.EventsCreated)
            {
                transaction.FreezeBeforeState();
            }
        }
        var finished = doc.HasAfterAllTransactionsListeners ? transactionCleanups.ToArray() : null;
        transactionCleanups.Clear();
        if (finished is not null)
        {
            try
            {
                doc.EmitAfterAllTransactions(finished);
            }
            catch (Exception e)
            {
                firstError ??= ExceptionDispatchInfo.Capture(e);
            }
        }
        firstError?.Throw();
    }

    /// <summary>Observers, then deep observers, then afterTransaction, then text format cleanup.</summary>
    private static void CallObservers(Transaction transaction)
    {
        var doc = transaction.Doc;
        if (transaction.HasDeletions)
        {
            DeleteSet.SortAndMergeDeleteSet(transaction.DeleteSet);
        }
        transaction.TakeAfterState();
        doc.EmitBeforeObserverCalls(transaction);

        ExceptionDispatchInfo? firstError = null;
        var observed = doc.ObservedChanges;
        observed.Clear();
        for (var i = 0; i < transaction.ChangedTypeCount; i++)
        {
            var type = transaction.GetChangedType(i);
            try
            {
                if (type.Item is null || !type.Item.Deleted)
                {
                    type.CallObserver(transaction);
                }
            }
            catch (Exception e)
            {
                firstError ??= ExceptionDispatchInfo.Capture(e);
            }
        }

        // Decide which deep observers run before any of them runs, as Yjs does.
        var deepTargets = CollectDeepObserverEvents(transaction, observed);
        if (deepTargets is not null)
        {
            foreach (var (type, allEvents) in deepTargets)
            {
                try
                {
                    CallDeepObservers(transaction, type, allEvents);
                }
                catch (Exception e)
                {
                    firstError ??= ExceptionDispatchInfo.Capture(e);
                }
            }
        }
        observed.Clear();

        try
        {
            doc.EmitAfterTransaction(transaction);
        }
        catch (Exception e)
        {
            firstError ??= ExceptionDispatchInfo.Capture(e);
        }
        if (transaction.NeedFormattingCleanup)
        {
            try
            {
                YText.CleanupYTextAfterTransaction(transaction);
            }
            catch (Exception e)
            {
                firstError ??= ExceptionDispatchInfo.Capture(e);
            }
        }
        firstError?.Throw();
    }

    /// <summary>
    /// Groups the events of this transaction by the deep-observed types they bubble up to (Yjs
    /// changedParentTypes, restricted to types with deep observers that are not deleted), in the
    /// order Yjs would call them. Null if no deep observer is interested.
    /// </summary>
    /// <remarks>
    /// Events nobody listened to were not created during the observer calls; an observer may
    /// have added a deep observer above such a type since, so it is created here if needed.
    /// </remarks>
    private static List<(AbstractType Type, List<YEvent> Events)>? CollectDeepObserverEvents(Transaction transaction, List<ObservedChange> observed)
    {
        Dictionary<AbstractType, List<YEvent>>? byType = null;
        for (var i = 0; i < observed.Count; i++)
        {
            var change = observed[i];
            for (var type = change.Type; ; type = type.Item.Parent!)
            {
                if (type.DEH.Count > 0)
                {
                    if (change.Event is null)
                    {
                        change.Event = change.Type.CreateEventFor(transaction);
                        observed[i] = change;
                    }
                    byType ??= new Dictionary<AbstractType, List<YEvent>>(ReferenceEqualityComparer.Instance);
                    if (!byType.TryGetValue(type, out var events))
                    {
                        events = new List<YEvent>();
                        byType.Add(type, events);
                    }
                    events.Add(change.Event);
                }
                if (type.Item is null)
                {
                    break;
                }
            }
        }
        if (byType is null)
        {
            return null;
        }
        var deepTargets = new List<(AbstractType Type, List<YEvent> Events)>(byType.Count);
        foreach (var (type, events) in byType)
        {
            if (type.Item is null || !type.Item.Deleted)
            {
                deepTargets.Add((type, events));
            }
        }
        return deepTargets;
    }

    private static void CallDeepObservers(Transaction transaction, AbstractType type, List<YEvent> allEvents)
    {
        var events = new List<YEvent>(allEvents.Count);
        foreach (var e in allEvents)
        {
            if (e.Target.Item is null || !e.Target.Item.Deleted)
            {
                events.Add(e);
            }
        }
        // One event instance is shared by all ancestors, so its current target (and thereby its
        // path) is set right before this ancestor's handlers see it.
        foreach (var e in events)
        {
            e.CurrentTarget = type;
        }
        // Top-level events first; a stable sort keeps the order of equally deep events.
        var sorted = new List<YEvent>(events.Count);
        var keys = new int[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            keys[i] = events[i].Path.Count;
        }
        var order = new int[events.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));
        foreach (var index in order)
        {
            sorted.Add(events[index]);
        }
        type.DEH.Call(sorted, transaction);
    }

    /// <summary>GC, struct merging, client id check, update and subdoc events for one transaction.</summary>
    private static void FinishTransaction(Transaction transaction, ref ExceptionDispatchInfo? firstError)
    {
        var doc = transaction.Doc;
        var store = doc.Store;
        if (transaction.HasDeletions)
        {
            var ds = transaction.DeleteSet;
            // Replace deleted content with placeholders / GC structs: this is where content really leaves the doc.
            if (doc.Gc)
            {
                TryGcDeleteSet(ds, store, doc.GcFilter);
            }
            TryMergeDeleteSet(ds, store);
        }

        // Merge the structs added in this transaction, right to left so removals do not shift what is left to do.
        for (var c = 0; c < transaction.ChangedClientCount; c++)
        {
            var change = transaction.GetChangedClient(c);
            var beforeClock = change.Before;
            if (beforeClock == change.After)
            {
                continue;
            }
            var structs = store.Clients[change.Client];
            var firstChangePos = Math.Max(StructStore.FindIndexSS(structs, beforeClock), 1);
            for (var i = structs.Count - 1; i >= firstChangePos;)
            {
                i -= 1 + TryToMergeWithLefts(structs, i);
            }
        }

        // Splits made during the transaction may be mergeable again.
        var mergeStructs = transaction._mergeStructs;
        for (var i = (mergeStructs?.Count ?? 0) - 1; i >= 0; i--)
        {
            var id = mergeStructs![i].Id;
            var structs = store.Clients[id.Client];
            var replacedStructPos = StructStore.FindIndexSS(structs, id.Clock);
            if (replacedStructPos + 1 < structs.Count && TryToMergeWithLefts(structs, replacedStructPos + 1) > 1)
            {
                continue;
            }
            if (replacedStructPos > 0)
            {
                TryToMergeWithLefts(structs, replacedStructPos);
            }
        }

        if (!transaction.Local && transaction.ClientStateChanged(doc.ClientId))
        {
            // A remote update carried structs under our client id: another peer uses it, so pick a new one.
            doc.ClientId = Doc.GenerateNewClientId();
        }

        try
        {
            doc.EmitAfterTransactionCleanup(transaction);
        }
        catch (Exception e)
        {
            firstError ??= ExceptionDispatchInfo.Capture(e);
        }
        // Nothing is encoded unless someone subscribed: most docs have no update listener.
        // (No lambdas in this method: C# would allocate their closure on every call.)
        if (doc.HasUpdateListeners)
        {
            var encoder = new UpdateEncoderV1();
            if (WriteUpdateMessageFromTransaction(encoder, transaction))
            {
                try
                {
                    doc.EmitUpdate(encoder.ToArray(), transaction);
                }
                catch (Exception e)
                {
                    firstError ??= ExceptionDispatchInfo.Capture(e);
                }
            }
        }
        if (doc.HasUpdateV2Listeners)
        {
            var encoder = new UpdateEncoderV2();
            if (WriteUpdateMessageFromTransaction(encoder, transaction))
            {
                try
                {
                    doc.EmitUpdateV2(encoder.ToArray(), transaction);
                }
                catch (Exception e)
                {
                    firstError ??= ExceptionDispatchInfo.Capture(e);
                }
            }
        }

        if (transaction.HasSubdocChanges)
        {
            ApplySubdocChanges(transaction, ref firstError);
        }
    }

    /// <summary>Adds and removes the subdocuments the transaction changed and reports it.</summary>
    private static void ApplySubdocChanges(Transaction transaction, ref ExceptionDispatchInfo? firstError)
    {
        var doc = transaction.Doc;
        var added = transaction.SubdocsAdded;
        var removed = transaction.SubdocsRemoved;
        var loaded = transaction.SubdocsLoaded;
        foreach (var subdoc in added)
        {
            subdoc.ClientId = doc.ClientId;
            subdoc.CollectionId ??= doc.CollectionId;
            doc.Subdocs.Add(subdoc);
        }
        foreach (var subdoc in removed)
        {
            doc.Subdocs.Remove(subdoc);
        }
        Capture(ref firstError, () => doc.EmitSubdocsChanged(new SubdocsEventArgs(loaded, added, removed, transaction)));
        foreach (var subdoc in removed)
        {
            Capture(ref firstError, subdoc.Destroy);
        }
    }

    private static void Capture(ref ExceptionDispatchInfo? firstError, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            firstError ??= ExceptionDispatchInfo.Capture(e);
        }
    }

    /// <summary>
    /// Merges structs[pos] into its left neighbours as far as possible; returns how many were merged
    /// (and removed from <paramref name="structs"/>).
    /// </summary>
    private static int TryToMergeWithLefts(StructList structs, int pos)
    {
        var right = structs[pos];
        var i = pos;
        for (; i > 0; i--)
        {
            var left = structs[i - 1];
            if (left.Deleted != right.Deleted || left.GetType() != right.GetType() || !left.MergeWith(right))
            {
                break;
            }
            if (right is Item { ParentSub: { } parentSub } rightItem
                && rightItem.Parent!.Map.TryGetValue(parentSub, out var current)
                && current == rightItem)
            {
                // The map must point at the surviving item.
                rightItem.Parent.Map[parentSub] = (Item)left;
            }
            right = left;
        }
        var merged = pos - i;
        if (merged > 0)
        {
            structs.RemoveRange(pos + 1 - merged, merged);
        }
        return merged;
    }

    /// <summary>Garbage-collects the deleted items in <paramref name="ds"/> that the filter allows.</summary>
    private static void TryGcDeleteSet(DeleteSet ds, StructStore store, Func<Item, bool> gcFilter)
    {
        foreach (var (client, deleteItems) in ds.Clients)
        {
            var structs = store.Clients[client];
            for (var di = deleteItems.Count - 1; di >= 0; di--)
            {
                var deleteItem = deleteItems[di];
                var endDeleteItemClock = deleteItem.Clock + deleteItem.Len;
                for (var si = StructStore.FindIndexSS(structs, deleteItem.Clock); si < structs.Count; si++)
                {
                    var s = structs[si];
                    if (s.Id.Clock >= endDeleteItemClock)
                    {
                        break;
                    }
                    if (s is Item { Deleted: true, Keep: false } item && gcFilter(item))
                    {
                        item.Gc(store, false);
                    }
                }
            }
        }
    }

    /// <summary>Merges deleted / collected structs around the ranges of <paramref name="ds"/>, right to left.</summary>
    private static void TryMergeDeleteSet(DeleteSet ds, StructStore store)
    {
        foreach (var (client, deleteItems) in ds.Clients)
        {
            var structs = store.Clients[client];
            for (var di = deleteItems.Count - 1; di >= 0; di--)
            {
                var deleteItem = deleteItems[di];
                // Start right of the last deleted struct: it may merge into the range.
                var mostRightIndexToCheck = Math.Min(structs.Count - 1, 1 + StructStore.FindIndexSS(structs, deleteItem.Clock + deleteItem.Len - 1));
                for (var si = mostRightIndexToCheck; si > 0 && structs[si].Id.Clock >= deleteItem.Clock;)
                {
                    si -= 1 + TryToMergeWithLefts(structs, si);
                }
            }
        }
    }

    /// <summary>Garbage-collects (as the filter allows) and merges the structs of <paramref name="ds"/>.</summary>
    internal static void TryGc(DeleteSet ds, StructStore store, Func<Item, bool> gcFilter)
    {
        TryGcDeleteSet(ds, store, gcFilter);
        TryMergeDeleteSet(ds, store);
    }
}
