using Microsoft.Data.Sqlite;
using P2PSync.Node.Storage;
using P2PSync.Node.Tests.Support;
using static P2PSync.Node.Tests.Storage.RawSqlite;

namespace P2PSync.Node.Tests.Storage;

/// <summary>Stores written by an older p2psync (schema 1 only) are brought up to date on open.</summary>
public sealed class MigrationTests
{
    [Fact]
    public void Open_MigratesSchemaOneStore_KeepingItsDocuments()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(NodeStore.FileName);
        WriteSchemaOneStore(path, ("0123456789abcdef0123456789abcdef", "old notes", 1_600_000_000_000));

        using var store = NodeStore.Open(path, new ManualClock());

        Assert.Equal(6, store.SchemaVersion);
        var doc = Assert.Single(store.Documents.List());
        Assert.Equal(new DocumentInfo("0123456789abcdef0123456789abcdef", "old notes", 1_600_000_000_000, 0, "", 0, 0), doc);

        // The migrated document works like any other: log, load, compact, rename.
        var edits = new TextUpdates(clientId: 5);
        store.Documents.AppendUpdate(doc.Id, edits.Append("kept"), "local");
        store.Documents.Compact(doc.Id);
        Assert.Equal("kept", TextUpdates.TextOf(store.Documents.LoadDoc(doc.Id)));
        Assert.Equal("renamed", store.Documents.Rename(doc.Id, "renamed", TestDevices.Make(1)).Name);
    }

    [Fact]
    public void Open_FailedMigration_LeavesSchemaOneStoreAsItWas()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(NodeStore.FileName);
        WriteSchemaOneStore(path, ("d1", "notes", 1));

        // A table in the way makes step 2 fail half-way (after its ALTER TABLE).
        using (var connection = Open(path))
        {
            Execute(connection, "CREATE TABLE peers (x INTEGER)");
        }

        Assert.Throws<StoreOpenException>(() => NodeStore.Open(path));

        using var check = Open(path);
        Assert.Equal(1L, Scalar(check, "SELECT MAX(version) FROM schema_version"));
        Assert.Equal(0L, Scalar(check, "SELECT COUNT(*) FROM pragma_table_info('documents') WHERE name = 'name_changed_ms'"));
        Assert.Equal(0L, Scalar(check, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'update_log'"));
        Assert.Equal("notes", Scalar(check, "SELECT name FROM documents WHERE id = 'd1'"));
    }

    /// <summary>Builds a store exactly as the schema-1 p2psync left it: WAL, 0001 applied, version 1 recorded.</summary>
    private static void WriteSchemaOneStore(string path, params (string Id, string Name, long Created)[] documents)
    {
        var initial = EmbeddedMigrations.Load()[0];
        Assert.Equal(1, initial.Version);
        using var connection = Open(path);
        Execute(connection, "PRAGMA journal_mode = WAL");
        Execute(connection, initial.Sql);
        Execute(connection, "INSERT INTO schema_version (version) VALUES (1)");
        foreach (var (id, name, created) in documents)
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO documents (id, name, created) VALUES ($id, $name, $created)";
            insert.Parameters.AddWithValue("$id", id);
            insert.Parameters.AddWithValue("$name", name);
            insert.Parameters.AddWithValue("$created", created);
            insert.ExecuteNonQuery();
        }
    }
}
