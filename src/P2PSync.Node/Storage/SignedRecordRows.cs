using Microsoft.Data.Sqlite;

namespace P2PSync.Node.Storage;

/// <summary>The SQL behind <see cref="DocumentRepository"/>'s signed-record methods, kept apart so the repository stays readable.</summary>
internal static class SignedRecordRows
{
    /// <summary>
    /// Inserts the rows inside the caller's transaction; a row already held at its
    /// (document, author, seq) is skipped, since the caller has checked it is the same record
    /// (RecordSet reports a different one as a conflict before anything is stored).
    /// Returns how many rows were new.
    /// </summary>
    public static int Insert(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<RecordRow> records, long nowMs)
    {
        var checkedDocuments = new HashSet<string>(StringComparer.Ordinal);
        using var insert = connection.Command(
            transaction,
            "INSERT OR IGNORE INTO signed_records (doc_id, author, seq, record, received_ms) VALUES ($doc, $author, $seq, $record, $now)",
            ("$doc", ""),
            ("$author", Array.Empty<byte>()),
            ("$seq", 0L),
            ("$record", Array.Empty<byte>()),
            ("$now", nowMs));
        var added = 0;
        foreach (var row in records)
        {
            // INSERT OR IGNORE would also swallow the foreign-key failure of a missing document.
            if (checkedDocuments.Add(row.DocId)
                && connection.Scalar(transaction, "SELECT 1 FROM documents WHERE id = $id", ("$id", row.DocId)) is null)
            {
                throw new DocumentNotFoundException(row.DocId);
            }

            insert.Parameters["$doc"].Value = row.DocId;
            insert.Parameters["$author"].Value = row.Author;
            insert.Parameters["$seq"].Value = (long)row.Seq;
            insert.Parameters["$record"].Value = row.Record;
            added += insert.ExecuteNonQuery();
        }

        return added;
    }

    /// <summary>The document's records ordered by author key (bytewise), then seq.</summary>
    public static IReadOnlyList<RecordRow> Load(SqliteConnection connection, SqliteTransaction transaction, string docId)
    {
        using var command = connection.Command(
            transaction,
            "SELECT author, seq, record FROM signed_records WHERE doc_id = $doc ORDER BY author, seq",
            ("$doc", docId));
        using var reader = command.ExecuteReader();
        var rows = new List<RecordRow>();
        while (reader.Read())
        {
            var author = reader.GetValue(0) as byte[];
            var seq = reader.GetInt64(1);
            if (author is not { Length: StoreBlobs.AuthorKeyLength } || seq < 1)
            {
                throw new StoreCorruptionException(
                    $"document {docId}: a stored signed record has a malformed author key or seq {seq}; nothing was changed",
                    docId,
                    seq);
            }

            rows.Add(new RecordRow(docId, author, (ulong)seq, (byte[])reader.GetValue(2)));
        }

        return rows;
    }

    /// <summary>How many records each document holds (documents with none are left out).</summary>
    public static IReadOnlyDictionary<string, int> Counts(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.Command(transaction, "SELECT doc_id, COUNT(*) FROM signed_records GROUP BY doc_id");
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        return counts;
    }
}
