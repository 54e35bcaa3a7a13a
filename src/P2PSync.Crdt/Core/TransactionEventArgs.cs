namespace P2PSync.Crdt.Core;

/// <summary>Names the transaction a document event is about.</summary>
public sealed class TransactionEventArgs : EventArgs
{
    internal TransactionEventArgs(Transaction transaction)
    {
        Transaction = transaction;
    }

    /// <summary>The transaction the event is about.</summary>
    public Transaction Transaction { get; }
}
