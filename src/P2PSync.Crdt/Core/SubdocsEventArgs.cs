namespace P2PSync.Crdt.Core;

/// <summary>Subdocuments that a transaction added, removed or asked to load.</summary>
public sealed class SubdocsEventArgs : EventArgs
{
    internal SubdocsEventArgs(IReadOnlyCollection<Doc> loaded, IReadOnlyCollection<Doc> added, IReadOnlyCollection<Doc> removed, Transaction transaction)
    {
        Loaded = loaded;
        Added = added;
        Removed = removed;
        Transaction = transaction;
    }

    /// <summary>Subdocuments that should be loaded (by a provider) now.</summary>
    public IReadOnlyCollection<Doc> Loaded { get; }

    /// <summary>Subdocuments that became part of the doc.</summary>
    public IReadOnlyCollection<Doc> Added { get; }

    /// <summary>Subdocuments that were removed (and are destroyed after this event).</summary>
    public IReadOnlyCollection<Doc> Removed { get; }

    /// <summary>The transaction that made the change.</summary>
    public Transaction Transaction { get; }
}
