using Microsoft.Data.Sqlite;

namespace P2PSync.Relay.Storage;

/// <summary>
/// <see cref="IMailboxStore"/> on one SQLite file. journal_mode=WAL with synchronous=FULL makes
/// every commit fsync the WAL, so once Append returns (and the device is told Posted) the
/// envelope survives a crash or restart. One connection behind a lock: the relay's writes are
/// small and serialised anyway, and the quota check must be atomic with the insert.
/// secure_delete overwrites the bytes of deleted envelopes, so acknowledged or expired ciphertext
/// does not linger in free pages of the file; Dispose checkpoints and truncates the WAL for the same reason.
/// AUTOINCREMENT (not plain rowid) so a cursor is never reused after the newest envelope is deleted.
/// </summary>
internal sealed class SqliteMailboxStore : IMailboxStore, IDisposable
{
    public const string FileName = "mailbox.db";

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    public SqliteMailboxStore(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            // No pooling: disposing the store really closes the file (restart tests reopen it).
            Pooling = false,
        };
        _connection = new SqliteConnection(builder.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA secure_delete = ON;
            CREATE TABLE IF NOT EXISTS envelopes (
                cursor INTEGER PRIMARY KEY AUTOINCREMENT,
                topic BLOB NOT NULL,
                poster BLOB NOT NULL,
                body BLOB NOT NULL,
                size INTEGER NOT NULL,
                expires_at INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS envelopes_by_topic ON envelopes (topic, cursor);
            CREATE INDEX IF NOT EXISTS envelopes_by_poster ON envelopes (poster);
            CREATE INDEX IF NOT EXISTS envelopes_by_expiry ON envelopes (expires_at);
            CREATE TABLE IF NOT EXISTS readers (
                topic BLOB NOT NULL,
                device BLOB NOT NULL,
                acked INTEGER NOT NULL,
                active_at INTEGER,
                PRIMARY KEY (topic, device)) WITHOUT ROWID;
            """);
        AddReaderActivityColumn();
    }

    public AppendResult Append(NewEnvelope envelope, MailboxQuotas quotas)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            var (topicBytes, topicCount) = SumAndCount("topic", envelope.Topic, transaction);
            if (topicCount + 1 > quotas.TopicEnvelopes) return AppendResult.Refused(QuotaRefusal.TopicEnvelopes);
            if (topicBytes + envelope.Envelope.Length > quotas.TopicBytes) return AppendResult.Refused(QuotaRefusal.TopicBytes);
            var (deviceBytes, _) = SumAndCount("poster", envelope.Poster, transaction);
            if (deviceBytes + envelope.Envelope.Length > quotas.DeviceBytes) return AppendResult.Refused(QuotaRefusal.DeviceBytes);

            using var insert = Command("""
                INSERT INTO envelopes (topic, poster, body, size, expires_at)
                VALUES ($topic, $poster, $body, $size, $expires) RETURNING cursor
                """, transaction);
            insert.Parameters.AddWithValue("$topic", envelope.Topic);
            insert.Parameters.AddWithValue("$poster", envelope.Poster);
            insert.Parameters.AddWithValue("$body", envelope.Envelope);
            insert.Parameters.AddWithValue("$size", envelope.Envelope.Length);
            insert.Parameters.AddWithValue("$expires", envelope.ExpiresAt.ToUnixTimeMilliseconds());
            var cursor = (long)insert.ExecuteScalar()!;
            transaction.Commit();
            return new AppendResult((ulong)cursor, QuotaRefusal.None);
        }
    }

    public FetchResult Fetch(byte[] topic, ulong afterCursor, int maxItems, int maxBytes, DateTimeOffset now)
    {
        lock (_gate)
        {
            using var select = Command("""
                SELECT cursor, body FROM envelopes
                WHERE topic = $topic AND cursor > $after AND expires_at > $now
                ORDER BY cursor LIMIT $limit
                """);
            select.Parameters.AddWithValue("$topic", topic);
            select.Parameters.AddWithValue("$after", ToSqlCursor(afterCursor));
            select.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            // One extra row tells whether more remain.
            select.Parameters.AddWithValue("$limit", maxItems + 1);
            using var reader = select.ExecuteReader();
            var items = new List<StoredEnvelope>();
            var bytes = 0;
            while (reader.Read())
            {
                var body = (byte[])reader[1];
                // Always return at least one item so an envelope near the size cap still gets through.
                if (items.Count == maxItems || (items.Count > 0 && bytes + body.Length > maxBytes))
                    return new FetchResult(items, More: true);
                items.Add(new StoredEnvelope((ulong)reader.GetInt64(0), body));
                bytes += body.Length;
            }
            return new FetchResult(items, More: false);
        }
    }

    public void AddReader(byte[] topic, byte[] device, DateTimeOffset now)
    {
        lock (_gate)
        {
            using var upsert = Command("""
                INSERT INTO readers (topic, device, acked, active_at) VALUES ($topic, $device, 0, $now)
                ON CONFLICT (topic, device) DO UPDATE SET active_at = excluded.active_at
                """);
            upsert.Parameters.AddWithValue("$topic", topic);
            upsert.Parameters.AddWithValue("$device", device);
            upsert.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            upsert.ExecuteNonQuery();
        }
    }

    public int Acknowledge(byte[] topic, byte[] device, ulong cursor, DateTimeOffset now)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            // An ack is clamped to the newest stored cursor: acking "everything" in advance must
            // not delete envelopes posted later, before this reader has seen them.
            using var upsert = Command("""
                INSERT INTO readers (topic, device, acked, active_at)
                VALUES ($topic, $device, MIN($cursor, (SELECT COALESCE(MAX(cursor), 0) FROM envelopes WHERE topic = $topic)), $now)
                ON CONFLICT (topic, device) DO UPDATE SET acked = MAX(readers.acked, excluded.acked), active_at = excluded.active_at
                """, transaction);
            upsert.Parameters.AddWithValue("$topic", topic);
            upsert.Parameters.AddWithValue("$device", device);
            upsert.Parameters.AddWithValue("$cursor", ToSqlCursor(cursor));
            upsert.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            upsert.ExecuteNonQuery();

            var deleted = DeleteAckedByAll(topic, transaction);
            transaction.Commit();
            return deleted;
        }
    }

    public IdleReaderSweep ForgetIdleReaders(DateTimeOffset now, TimeSpan idleAfter)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            // Readers recorded before activity was tracked start their idle clock now, so an upgrade
            // never forgets a reader that may well still be around.
            using var stamp = Command("UPDATE readers SET active_at = $now WHERE active_at IS NULL", transaction);
            stamp.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            stamp.ExecuteNonQuery();

            var since = (now - idleAfter).ToUnixTimeMilliseconds();
            var topics = new List<byte[]>();
            using (var select = Command("SELECT DISTINCT topic FROM readers WHERE active_at < $since", transaction))
            {
                select.Parameters.AddWithValue("$since", since);
                using var reader = select.ExecuteReader();
                while (reader.Read()) topics.Add((byte[])reader[0]);
            }

            using var forget = Command("DELETE FROM readers WHERE active_at < $since", transaction);
            forget.Parameters.AddWithValue("$since", since);
            var forgotten = forget.ExecuteNonQuery();
            var deleted = 0;
            foreach (var topic in topics) deleted += DeleteAckedByAll(topic, transaction);
            transaction.Commit();
            return new IdleReaderSweep(forgotten, deleted);
        }
    }

    public int DeleteExpired(DateTimeOffset now)
    {
        lock (_gate)
        {
            using var delete = Command("DELETE FROM envelopes WHERE expires_at <= $now");
            delete.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            return delete.ExecuteNonQuery();
        }
    }

    public ulong LatestCursor(byte[] topic)
    {
        lock (_gate)
        {
            using var select = Command("SELECT COALESCE(MAX(cursor), 0) FROM envelopes WHERE topic = $topic");
            select.Parameters.AddWithValue("$topic", topic);
            return (ulong)(long)select.ExecuteScalar()!;
        }
    }

    public long CountEnvelopes() => ScalarLong("SELECT COUNT(*) FROM envelopes");

    public long CountTopics() => ScalarLong("SELECT COUNT(DISTINCT topic) FROM envelopes");

    public void Dispose()
    {
        lock (_gate)
        {
            if (_connection.State == System.Data.ConnectionState.Open) Execute("PRAGMA wal_checkpoint(TRUNCATE);");
            _connection.Dispose();
        }
    }

    /// <summary>Deletes the topic's envelopes every reader acked; none while the topic has no reader (MIN over nothing is NULL).</summary>
    private int DeleteAckedByAll(byte[] topic, SqliteTransaction transaction)
    {
        using var delete = Command("""
            DELETE FROM envelopes WHERE topic = $topic
            AND cursor <= (SELECT MIN(acked) FROM readers WHERE topic = $topic)
            """, transaction);
        delete.Parameters.AddWithValue("$topic", topic);
        return delete.ExecuteNonQuery();
    }

    /// <summary>Files written before readers' activity was tracked get the column (NULL: unknown until the next sweep).</summary>
    private void AddReaderActivityColumn()
    {
        using var columns = Command("SELECT COUNT(*) FROM pragma_table_info('readers') WHERE name = 'active_at'");
        if ((long)columns.ExecuteScalar()! == 0) Execute("ALTER TABLE readers ADD COLUMN active_at INTEGER;");
    }

    private (long Bytes, long Count) SumAndCount(string column, byte[] key, SqliteTransaction transaction)
    {
        // column is one of two code constants, never input.
        using var select = Command($"SELECT COALESCE(SUM(size), 0), COUNT(*) FROM envelopes WHERE {column} = $key", transaction);
        select.Parameters.AddWithValue("$key", key);
        using var reader = select.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private long ScalarLong(string sql)
    {
        lock (_gate)
        {
            using var select = Command(sql);
            return (long)select.ExecuteScalar()!;
        }
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    // Cursors above long.MaxValue cannot exist in SQLite; clamp so a hostile after_cursor compares correctly.
    private static long ToSqlCursor(ulong cursor) => cursor > long.MaxValue ? long.MaxValue : (long)cursor;
}
