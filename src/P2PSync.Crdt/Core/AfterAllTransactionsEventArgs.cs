namespace P2PSync.Crdt.Core;

/// <summary>The transactions that were cleaned up together (the outermost and those its observers started).</summary>
public sealed class AfterAllTransactionsEventArgs : EventArgs
{
    internal AfterAllTransactionsEventArgs(IReadOnlyList<Transaction> transactions)
    {
        Transactions = transactions;
    }

    /// <summary>The transactions in the order they were cleaned up.</summary>
    public IReadOnlyList<Transaction> Transactions { get; }
}
