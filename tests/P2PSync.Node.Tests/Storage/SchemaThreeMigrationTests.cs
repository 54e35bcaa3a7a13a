using Microsoft.Data.Sqlite;
using P2PSync.Node.Storage;
using P2PSync.Node.Tests.Support;
using static P2PSync.Node.Tests.Storage.RawSqlite;

namespace P2PSync.Node.Tests.Storage;

/// <summary>Stores written under schema 2 (no renaming device recorded) gain name_changed_by on open.</summary>
public sealed class SchemaThreeMigrationTests
{
    [Fact]
    public void Open_MigratesSchemaTwoStore_KeepingNamesAndRenameTimes()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(NodeStore.FileName);
        WriteSchemaTwoStore(
            path,
            ("0123456789abcdef0123456789abcdef", "renamed once", 1_600_000_000_000, 1_600_000_500_000),
            ("fedcba9876543210fedcba9876543210", "never renamed", 1_650_000_000_000, 1_650_000_000_000));
        using (var connection = Open(path))
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO update_log (doc_id, seq, update_v1, origin, received_ms) VALUES ($doc, 1, $update, 'local', 5)";
            insert.Parameters.AddWithValue("$doc", "0123456789abcdef0123456789abcdef");
            insert.Parameters.AddWithValue("$update", new TextUpdates(clientId: 5).Append("kept"));
            insert.ExecuteNonQuery();
        }

        using var store = NodeStore.Open(path, new ManualClock());

        Assert.Equal(6, store.SchemaVersion);
        Assert.Equal(
            new[]
            {
                new DocumentInfo("0123456789abcdef0123456789abcdef", "renamed once", 1_600_000_000_000, 1_600_000_500_000, "", 1, 0),
                new DocumentInfo("fedcba9876543210fedcba9876543210", "never renamed", 1_650_000_000_000, 1_650_000_000_000, "", 0, 0),
            },
            store.Documents.List());
        Assert.Equal("kept", TextUpdates.TextOf(store.Documents.LoadDoc("0123456789abcdef0123456789abcdef")));
    }

    [Fact]
    public void MigratedRow_LosesASameMsTieToAnyDevice_AndKeepsTiesBetweenUnknownDevicesByName()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(NodeStore.FileName);
        const string id = "0123456789abcdef0123456789abcdef";
        WriteSchemaTwoStore(path, (id, "mmm", 100, 500));
        using var store = NodeStore.Open(path, new ManualClock());

        Assert.Equal(AnnounceOutcome.Unchanged, store.Documents.AcceptAnnounced(id, "aaa", 100, 500, "").Outcome);
        Assert.Equal(AnnounceOutcome.Renamed, store.Documents.AcceptAnnounced(id, "zzz", 100, 500, "").Outcome);
        var device = TestDevices.Make(21).ToString();
        Assert.Equal(AnnounceOutcome.Renamed, store.Documents.AcceptAnnounced(id, "aaa", 100, 500, device).Outcome);
        Assert.Equal(("aaa", 500L, device), (store.Documents.Get(id)!.Name, store.Documents.Get(id)!.NameChangedMs, store.Documents.Get(id)!.NameChangedBy));
    }

    [Fact]
    public void Open_FailedMigrationThree_LeavesSchemaTwoStoreAsItWas()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(NodeStore.FileName);
        WriteSchemaTwoStore(path, ("d1", "notes", 1, 2));

        // A column already in the way makes step 3's ALTER TABLE fail.
        using (var connection = Open(path))
        {
            Execute(connection, "ALTER TABLE documents ADD COLUMN name_changed_by INTEGER");
        }

        Assert.Throws<StoreOpenException>(() => NodeStore.Open(path));

        using var check = Open(path);
        Assert.Equal(2L, Scalar(check, "SELECT MAX(version) FROM schema_version"));
        Assert.Equal("notes", Scalar(check, "SELECT name FROM documents WHERE id = 'd1'"));
        Assert.Equal(2L, Scalar(check, "SELECT name_changed_ms FROM documents WHERE id = 'd1'"));
    }

    /// <summary>Builds a store as schema-2 p2psync left it: WAL, 0001 and 0002 applied, versions 1 and 2 recorded.</summary>
    private static void WriteSchemaTwoStore(string path, params (string Id, string Name, long Created, long NameChangedMs)[] documents)
    {
        var migrations = EmbeddedMigrations.Load();
        Assert.Equal(2, migrations[1].Version);
        using var connection = Open(path);
        Execute(connection, "PRAGMA journal_mode = WAL");
        Execute(connection, migrations[0].Sql);
        Execute(connection, "INSERT INTO schema_version (version) VALUES (1)");
        Execute(connection, migrations[1].Sql);
        Execute(connection, "INSERT INTO schema_version (version) VALUES (2)");
        foreach (var (id, name, created, changed) in documents)
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO documents (id, name, created, name_changed_ms) VALUES ($id, $name, $created, $changed)";
            insert.Parameters.AddWithValue("$id", id);
            insert.Parameters.AddWithValue("$name", name);
            insert.Parameters.AddWithValue("$created", created);
            insert.Parameters.AddWithValue("$changed", changed);
            insert.ExecuteNonQuery();
        }
    }
}
