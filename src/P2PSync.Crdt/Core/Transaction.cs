using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Structs;
using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Core;

/// <summary>
/// One batch of changes to a <see cref="Core.Doc"/>. Observers, update events and garbage
/// collection run once when the outermost transaction ends, so bundling changes is cheaper
/// and produces one update message.
/// </summary>
public sealed partial class Transaction
{
    // Most transactions are a single local edit; the rarely used collections are created on first use.
    private DeleteSet? _deleteSet;
    private List<AbstractStruct>? _mergeStructs;

    internal Transaction(Doc doc, object? origin, bool local)
    {
        Doc = doc;
        Origin = origin;
        Local = local;
    }

    /// <summary>The document this transaction changes.</summary>
    public Doc Doc { get; }

    /// <summary>What the caller passed as origin (for example a provider), or null.</summary>
    public object? Origin { get; }

    /// <summary>Whether the change was made on this doc (false while applying a remote update).</summary>
    public bool Local { get; internal set; }

    /// <summary>Free-form data that observers of the same transaction can share.</summary>
    public Dictionary<object, object?> Meta => Rare.Meta ??= new();

    /// <summary>Ranges deleted in this transaction (unsorted until cleanup).</summary>
    internal DeleteSet DeleteSet => _deleteSet ??= new();

    /// <summary>Whether anything was deleted (without creating the delete set).</summary>
    internal bool HasDeletions => _deleteSet is { Clients.Count: > 0 };

    /// <summary>Structs created by splits that may be merged again during cleanup.</summary>
    internal List<AbstractStruct> MergeStructs => _mergeStructs ??= new();

    internal HashSet<Doc> SubdocsAdded => Rare.SubdocsAdded ??= new(ReferenceEqualityComparer.Instance);

    internal HashSet<Doc> SubdocsRemoved => Rare.SubdocsRemoved ??= new(ReferenceEqualityComparer.Instance);

    internal HashSet<Doc> SubdocsLoaded => Rare.SubdocsLoaded ??= new(ReferenceEqualityComparer.Instance);

    /// <summary>Whether any subdocument was added, removed or loaded (without creating the sets).</summary>
    internal bool HasSubdocChanges => _rare is { } rare && (rare.SubdocsAdded?.Count > 0 || rare.SubdocsRemoved?.Count > 0 || rare.SubdocsLoaded?.Count > 0);

    /// <summary>Set when formatting was inserted or removed so that text formats are cleaned up afterwards.</summary>
    internal bool NeedFormattingCleanup { get; set; }

    /// <summary>
    /// Writes the structs and deletions of <paramref name="transaction"/> as one update; returns
    /// false (writing nothing) if the transaction changed nothing.
    /// </summary>
    internal static bool WriteUpdateMessageFromTransaction(IUpdateEncoder encoder, Transaction transaction)
    {
        if (!transaction.HasDeletions && !transaction.StateChanged())
        {
            return false;
        }
        DeleteSet.SortAndMergeDeleteSet(transaction.DeleteSet);
        UpdateCodec.WriteStructsFromTransaction(encoder, transaction);
        DeleteSet.WriteDeleteSet(encoder, transaction.DeleteSet);
        return true;
    }

    /// <summary>The id the next local insertion will get.</summary>
    internal static ID NextID(Transaction transaction)
    {
        var y = transaction.Doc;
        return new ID(y.ClientId, StructStore.GetState(y.Store, y.ClientId));
    }

    /// <summary>
    /// Records that <paramref name="type"/> changed under <paramref name="parentSub"/>, unless the
    /// type itself was created in this transaction (then its creation is the only event) or is deleted.
    /// </summary>
    internal static void AddChangedTypeToTransaction(Transaction transaction, AbstractType type, string? parentSub)
    {
        var item = type.Item;
        if (item is null || (item.Id.Clock < transaction.GetBeforeClock(item.Id.Client) && !item.Deleted))
        {
            transaction.AddChangedSub(type, parentSub);
        }
    }

    /// <summary>
    /// Runs <paramref name="f"/> inside a transaction on <paramref name="doc"/>, joining the running
    /// one if there is one. When the outermost transaction ends, observers and cleanup run for it
    /// and for every transaction that observers start, one after another.
    /// </summary>
    internal static T Transact<T>(Doc doc, Func<Transaction, T> f, object? origin = null, bool local = true)
    {
        var transaction = Begin(doc, origin, local, out var initialCall);
        try
        {
            return f(transaction);
        }
        finally
        {
            End(doc, initialCall);
        }
    }

    /// <inheritdoc cref="Transact{T}(Core.Doc, Func{Transaction, T}, object?, bool)"/>
    internal static void Transact(Doc doc, Action<Transaction> f, object? origin = null, bool local = true)
    {
        var transaction = Begin(doc, origin, local, out var initialCall);
        try
        {
            f(transaction);
        }
        finally
        {
            End(doc, initialCall);
        }
    }

    private static Transaction Begin(Doc doc, object? origin, bool local, out bool initialCall)
    {
        var transaction = doc.Transaction;
        initialCall = transaction is null;
        if (transaction is null)
        {
            transaction = new Transaction(doc, origin, local);
            doc.Transaction = transaction;
            doc.TransactionCleanups.Add(transaction);
            if (doc.TransactionCleanups.Count == 1)
            {
                doc.EmitBeforeAllTransactions();
            }
            doc.EmitBeforeTransaction(transaction);
        }
        return transaction;
    }

    private static void End(Doc doc, bool initialCall)
    {
        if (!initialCall)
        {
            return;
        }
        var transactionCleanups = doc.TransactionCleanups;
        var finishCleanup = doc.Transaction == transactionCleanups[0];
        doc.Transaction = null;
        if (finishCleanup)
        {
            // Observers may start new transactions; they are queued and cleaned up in order
            // here instead of nesting, and every cleanup runs even if an observer throws.
            CleanupTransactions(transactionCleanups);
        }
    }
}
