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

    public IReadOnlyCollection<Doc> Loaded { get; }

    public IReadOnlyCollection<Doc> Added { get; }

    public IReadOnlyCollection<Doc> Removed { get; }

    public Transaction Transaction { get; }
}
