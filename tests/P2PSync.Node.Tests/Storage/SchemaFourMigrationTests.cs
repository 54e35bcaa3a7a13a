using P2PSync.Node.Storage;
using P2PSync.Node.Tests.Support;
using static P2PSync.Node.Tests.Storage.RawSqlite;

namespace P2PSync.Node.Tests.Storage;

/// <summary>Stores written under schema 3 gain spaces, signed records, invites and peer trust on open.</summary>
public sealed class SchemaFourMigrationTests
{
    private const string Compacted = "0123456789abcdef0123456789abcdef";
    private const string LogOnly = "fedcba9876543210fedcba9876543210";

    [Fact]
    public void Open_MigratesSchemaThreeStore_KeepingContentNamesAndPeers()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(NodeStore.FileName);
        var peer = TestDevices.Make(7);
        var renamer = TestDevices.Make(8).ToString();
        var compactedEdits = new TextUpdates(clientId: 5);
        var snapshot = SnapshotOf(compactedEdits, "old ");
        var logEdits = new TextUpdates(clientId: 6);
        WriteSchemaThreeStore(path, connection =>
        {
            Insert(connection, "INSERT INTO documents (id, name, created, name_changed_ms, name_changed_by) VALUES ($a, 'compacted', 100, 150, $by)", ("$a", Compacted), ("$by", renamer));
            Insert(connection, "INSERT INTO documents (id, name, created, name_changed_ms, name_changed_by) VALUES ($a, 'log only', 200, 200, '')", ("$a", LogOnly));
            Insert(connection, "INSERT INTO doc_snapshots (doc_id, upto_seq, state, compacted_ms) VALUES ($a, 2, $s, 300)", ("$a", Compacted), ("$s", snapshot));
            Insert(connection, "INSERT INTO update_log (doc_id, seq, update_v1, origin, received_ms) VALUES ($a, 3, $u, 'local', 400)", ("$a", Compacted), ("$u", compactedEdits.Append("text")));
            Insert(connection, "INSERT INTO update_log (doc_id, seq, update_v1, origin, received_ms) VALUES ($a, 1, $u, 'api', 400)", ("$a", LogOnly), ("$u", logEdits.Append("just ")));
            Insert(connection, "INSERT INTO update_log (doc_id, seq, update_v1, origin, received_ms) VALUES ($a, 2, $u, 'api', 401)", ("$a", LogOnly), ("$u", logEdits.Append("a log")));
            Insert(connection, "INSERT INTO peers (device_id, name, addresses, added_ms, last_seen_ms) VALUES ($p, 'desk', '[\"10.0.0.5:7000\"]', 50, 60)", ("$p", peer.ToString()));
            Insert(connection, "INSERT INTO peer_sync (device_id, doc_id, sent_upto_seq, updated_ms) VALUES ($p, $a, 3, 70)", ("$p", peer.ToString()), ("$a", Compacted));
        });

        using var store = NodeStore.Open(path, new ManualClock());

        Assert.Equal(6, store.SchemaVersion);
        Assert.Equal(
            new[]
            {
                new DocumentInfo(Compacted, "compacted", 100, 150, renamer, 3, 2),
                new DocumentInfo(LogOnly, "log only", 200, 200, "", 2, 0),
            },
            store.Documents.List());
        Assert.All(store.Documents.List(), doc => Assert.Null(doc.SpaceId));
        Assert.Equal("old text", TextUpdates.TextOf(store.Documents.LoadDoc(Compacted)));
        Assert.Equal("just a log", TextUpdates.TextOf(store.Documents.LoadDoc(LogOnly)));
        Assert.Empty(store.Documents.LoadRecords(Compacted));

        var migratedPeer = Assert.Single(store.Peers.List());
        Assert.Equal((peer, "desk", 50L, (long?)60L, true), (migratedPeer.DeviceId, migratedPeer.Name, migratedPeer.AddedMs, migratedPeer.LastSeenMs, migratedPeer.Trusted));
        Assert.Equal(["10.0.0.5:7000"], migratedPeer.Addresses);
        Assert.True(store.Peers.IsTrusted(peer));
        Assert.Equal(3, store.Peers.GetSyncState(peer, Compacted)!.SentUptoSeq);
        Assert.Empty(store.Spaces.ListSpaces());

        // The bootstrap the host runs next: a personal space takes in every old document.
        var personal = StoreIds.Space(1);
        store.Spaces.Insert(personal, "personal", 500, personal: true);
        Assert.Equal(2, store.Documents.AssignSpaceWhereMissing(personal));
        Assert.All(store.Documents.List(), doc => Assert.Equal(personal, doc.SpaceId));
    }

    [Fact]
    public void Open_FailedMigrationFour_LeavesSchemaThreeStoreAsItWas()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(NodeStore.FileName);
        WriteSchemaThreeStore(path, connection =>
        {
            Insert(connection, "INSERT INTO documents (id, name, created) VALUES ('d1', 'notes', 1)");

            // A table in the way makes step 4 fail half-way (after its first CREATE TABLEs).
            Execute(connection, "CREATE TABLE signed_records (x INTEGER)");
        });

        Assert.Throws<StoreOpenException>(() => NodeStore.Open(path));

        using var check = Open(path);
        Assert.Equal(3L, Scalar(check, "SELECT MAX(version) FROM schema_version"));
        Assert.Equal(0L, Scalar(check, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'spaces'"));
        Assert.Equal(0L, Scalar(check, "SELECT COUNT(*) FROM pragma_table_info('documents') WHERE name = 'space_id'"));
        Assert.Equal("notes", Scalar(check, "SELECT name FROM documents WHERE id = 'd1'"));
    }

    /// <summary>The snapshot a schema-3 compaction would have written after <paramref name="text"/> was typed.</summary>
    private static byte[] SnapshotOf(TextUpdates edits, string text)
    {
        edits.Append(text);
        return edits.State;
    }

    /// <summary>Builds a store as schema-3 p2psync left it: WAL, 0001..0003 applied and recorded, then <paramref name="fill"/>.</summary>
    private static void WriteSchemaThreeStore(string path, Action<Microsoft.Data.Sqlite.SqliteConnection> fill)
    {
        var migrations = EmbeddedMigrations.Load();
        using var connection = Open(path);
        Execute(connection, "PRAGMA journal_mode = WAL");
        foreach (var migration in migrations.Take(3))
        {
            Execute(connection, migration.Sql);
            Execute(connection, $"INSERT INTO schema_version (version) VALUES ({migration.Version})");
        }

        Assert.Equal(3L, Scalar(connection, "SELECT MAX(version) FROM schema_version"));
        fill(connection);
    }

    private static void Insert(Microsoft.Data.Sqlite.SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
