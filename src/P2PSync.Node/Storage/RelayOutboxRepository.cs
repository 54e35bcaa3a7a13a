using Microsoft.Data.Sqlite;

namespace P2PSync.Node.Storage;

/// <summary>
/// Per document, the highest seq of this device's own records that the relay's mailbox has
/// stored (schema 5, <c>relay_posted</c>): the node posts what lies beyond it on every connection.
/// </summary>
internal sealed class RelayOutboxRepository
{
    private readonly StoreTransactions transactions;

    public RelayOutboxRepository(StoreTransactions transactions)
    {
        this.transactions = transactions;
    }

    /// <summary>The highest own seq the mailbox stored for the document (0 = none).</summary>
    public ulong PostedUpto(string docId)
    {
        DocumentIds.Validate(docId);
        return transactions.Read((connection, transaction) =>
            connection.Scalar(transaction, "SELECT upto_seq FROM relay_posted WHERE doc_id = $doc", ("$doc", docId)) is long seq ? (ulong)seq : 0UL);
    }

    /// <summary>
    /// Drops the mark, so every own record of the document is posted again on the next occasion:
    /// a member that joined through the relay (and that this device never meets directly) needs
    /// what was written before it joined.
    /// </summary>
    public void Forget(string docId)
    {
        DocumentIds.Validate(docId);
        transactions.Write((connection, transaction) =>
            connection.Execute(transaction, "DELETE FROM relay_posted WHERE doc_id = $doc", ("$doc", docId)));
    }

    /// <summary>Raises the mark (never lowers it); the document must exist.</summary>
    public void MarkPosted(string docId, ulong seq)
    {
        DocumentIds.Validate(docId);
        if (seq > long.MaxValue)
        {
            throw new InvalidStoreInputException("posted seq", $"{seq} is beyond what the store keeps");
        }

        transactions.Write((connection, transaction) =>
        {
            if (connection.Scalar(transaction, "SELECT 1 FROM documents WHERE id = $doc", ("$doc", docId)) is null)
            {
                throw new DocumentNotFoundException(docId);
            }

            return connection.Execute(
                transaction,
                """
                INSERT INTO relay_posted (doc_id, upto_seq) VALUES ($doc, $seq)
                ON CONFLICT (doc_id) DO UPDATE SET upto_seq = MAX(upto_seq, excluded.upto_seq)
                """,
                ("$doc", docId),
                ("$seq", (long)seq));
        });
    }
}
