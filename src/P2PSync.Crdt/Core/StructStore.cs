using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Core;

/// <summary>
/// All structs of a doc, per client, sorted by clock and without gaps from clock 0, plus the
/// updates that arrived too early to be integrated.
/// </summary>
internal sealed class StructStore
{
    /// <summary>Structs per client. Insertion order is kept (Yjs iterates its Map in insertion order).</summary>
    public Dictionary<ulong, StructList> Clients { get; } = new();

    /// <summary>Structs waiting for structs of other updates, kept as a v2 update.</summary>
    public PendingStructs? PendingStructs { get; set; }

    /// <summary>Deletions of structs the doc does not have yet, kept as a v2 update without structs.</summary>
    public byte[]? PendingDs { get; set; }

    // Reused by Item's conflict loop so that concurrent inserts do not allocate two sets each.
    internal HashSet<Item> ScratchConflictingItems { get; } = new(ReferenceEqualityComparer.Instance);

    internal HashSet<Item> ScratchItemsBeforeOrigin { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The state vector: for each client the next clock expected from it.</summary>
    public static Dictionary<ulong, int> GetStateVector(StructStore store)
    {
        var sm = new Dictionary<ulong, int>(store.Clients.Count);
        foreach (var (client, structs) in store.Clients)
        {
            var last = structs[^1];
            sm[client] = last.Id.Clock + last.Length;
        }
        return sm;
    }

    /// <summary>The next clock expected from <paramref name="client"/> (0 if unknown).</summary>
    public static int GetState(StructStore store, ulong client)
    {
        if (!store.Clients.TryGetValue(client, out var structs))
        {
            return 0;
        }
        var last = structs[^1];
        return last.Id.Clock + last.Length;
    }

    /// <summary>Throws if some client's structs are not contiguous (a debugging aid for tests).</summary>
    public static void IntegrityCheck(StructStore store)
    {
        foreach (var structs in store.Clients.Values)
        {
            for (var i = 1; i < structs.Count; i++)
            {
                var l = structs[i - 1];
                var r = structs[i];
                if (l.Id.Clock + l.Length != r.Id.Clock)
                {
                    throw new InvalidOperationException("StructStore failed integrity check");
                }
            }
        }
    }

    /// <summary>
    /// Appends a struct that starts exactly where its client's last struct ends. Inside a
    /// transaction, call <see cref="Transaction.NoteStructAdded"/> first: the transaction's
    /// state vectors rely on it.
    /// </summary>
    public static void AddStruct(StructStore store, AbstractStruct s)
    {
        if (!store.Clients.TryGetValue(s.Id.Client, out var structs))
        {
            structs = new StructList();
            store.Clients.Add(s.Id.Client, structs);
        }
        else
        {
            var last = structs[^1];
            if (last.Id.Clock + last.Length != s.Id.Clock)
            {
                throw new InvalidOperationException("Struct does not continue its client's clock.");
            }
        }
        structs.Add(s);
    }

    /// <summary>Index of the struct containing <paramref name="clock"/>, which must exist.</summary>
    public static int FindIndexSS(StructList structs, int clock)
    {
        var index = structs.IndexOfClock(clock);
        // Callers check the state vector first, so a miss means the store is corrupt.
        return index >= 0 ? index : throw new InvalidOperationException($"No struct contains clock {clock}.");
    }

    /// <summary>The struct containing <paramref name="id"/>, which must exist.</summary>
    public static AbstractStruct Find(StructStore store, ID id)
    {
        var structs = store.Clients[id.Client];
        return structs[FindIndexSS(structs, id.Clock)];
    }

    /// <summary>The item containing <paramref name="id"/>, which must exist and must not be a GC.</summary>
    public static Item GetItem(StructStore store, ID id) => AsItem(Find(store, id));

    /// <summary>Index of the struct starting at <paramref name="clock"/>, splitting an item if needed.</summary>
    public static int FindIndexCleanStart(Transaction transaction, StructList structs, int clock)
    {
        var index = FindIndexSS(structs, clock);
        var s = structs[index];
        if (s.Id.Clock < clock && s is Item item)
        {
            structs.Insert(index + 1, Item.SplitItem(transaction, item, clock - item.Id.Clock));
            return index + 1;
        }
        return index;
    }

    /// <summary>The item starting at <paramref name="id"/> (split off if needed); the struct must be an item.</summary>
    public static Item GetItemCleanStart(Transaction transaction, ID id) => AsItem(GetStructCleanStart(transaction, id));

    /// <summary>
    /// Like <see cref="GetItemCleanStart"/> but tolerates a GC at <paramref name="id"/> (returned unsplit),
    /// for callers that only need the split.
    /// </summary>
    public static AbstractStruct GetStructCleanStart(Transaction transaction, ID id)
    {
        var structs = transaction.Doc.Store.Clients[id.Client];
        return structs[FindIndexCleanStart(transaction, structs, id.Clock)];
    }

    /// <summary>The item ending at <paramref name="id"/> (split if needed); the struct must be an item.</summary>
    public static Item GetItemCleanEnd(Transaction transaction, StructStore store, ID id) =>
        AsItem(GetStructCleanEnd(transaction, store, id));

    /// <summary>Like <see cref="GetItemCleanEnd"/> but returns a GC at <paramref name="id"/> unsplit.</summary>
    public static AbstractStruct GetStructCleanEnd(Transaction transaction, StructStore store, ID id)
    {
        var structs = store.Clients[id.Client];
        var index = FindIndexSS(structs, id.Clock);
        var s = structs[index];
        if (id.Clock != s.Id.Clock + s.Length - 1 && s is Item item)
        {
            structs.Insert(index + 1, Item.SplitItem(transaction, item, id.Clock - item.Id.Clock + 1));
        }
        return s;
    }

    /// <summary>Puts <paramref name="newStruct"/> where <paramref name="s"/> is (same id and length).</summary>
    public static void ReplaceStruct(StructStore store, AbstractStruct s, AbstractStruct newStruct)
    {
        var structs = store.Clients[s.Id.Client];
        structs[FindIndexSS(structs, s.Id.Clock)] = newStruct;
    }

    /// <summary>
    /// Calls <paramref name="f"/> for every struct in [clockStart, clockStart + len), splitting the
    /// structs at both ends so that exactly that range is visited.
    /// </summary>
    public static void IterateStructs(Transaction transaction, StructList structs, int clockStart, int len, Action<AbstractStruct> f)
    {
        if (len == 0)
        {
            return;
        }
        var clockEnd = clockStart + len;
        var index = FindIndexCleanStart(transaction, structs, clockStart);
        AbstractStruct s;
        do
        {
            s = structs[index++];
            if (clockEnd < s.Id.Clock + s.Length)
            {
                FindIndexCleanStart(transaction, structs, clockEnd);
            }
            f(s);
        }
        while (index < structs.Count && structs[index].Id.Clock < clockEnd);
    }

    private static Item AsItem(AbstractStruct s) =>
        s as Item ?? throw new InvalidOperationException($"Expected an item at {s.Id} but found a garbage-collected struct.");
}
