namespace P2PSync.Crdt.Core;

/// <summary>An encoded update produced by a finished transaction.</summary>
public sealed class UpdateEventArgs : EventArgs
{
    internal UpdateEventArgs(byte[] update, object? origin, Transaction transaction)
    {
        Update = update;
        Origin = origin;
        Transaction = transaction;
    }

    /// <summary>The update in the format of the event (v1 for Update, v2 for UpdateV2).</summary>
    public byte[] Update { get; }

    /// <summary>The origin passed to the transaction.</summary>
    public object? Origin { get; }

    /// <summary>The transaction that produced the update.</summary>
    public Transaction Transaction { get; }
}
