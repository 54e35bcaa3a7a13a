namespace P2PSync.Node.CrdtTools;

/// <summary>
/// A sequential editing trace (the josephg/editing-traces format, see bench/traces/README.md):
/// a start text, the expected end text, and the user's transactions in order.
/// </summary>
internal sealed class EditTrace
{
    /// <summary>Creates a trace; <paramref name="transactions"/> is used as is, not copied.</summary>
    public EditTrace(string startContent, string endContent, TracePatch[][] transactions)
    {
        StartContent = startContent;
        EndContent = endContent;
        Transactions = transactions;
    }

    /// <summary>The text before the first transaction.</summary>
    public string StartContent { get; }

    /// <summary>The text after the last transaction, as recorded in the file.</summary>
    public string EndContent { get; }

    /// <summary>
    /// One array of patches per user action, applied in order. Arrays rather than lists keep the
    /// replay loop free of interface calls, which matters when timing it against yjs.
    /// </summary>
    public TracePatch[][] Transactions { get; }

    /// <summary>Total number of patches over all transactions.</summary>
    public int PatchCount
    {
        get
        {
            var count = 0;
            foreach (var transaction in Transactions)
            {
                count += transaction.Length;
            }

            return count;
        }
    }
}
