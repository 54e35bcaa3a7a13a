using Microsoft.Data.Sqlite;
using P2PSync.Node.Storage;
using P2PSync.Node.Tests.Support;
using static P2PSync.Node.Tests.Storage.RawSqlite;

namespace P2PSync.Node.Tests.Storage;

public sealed class NodeStoreTests
{
    [Fact]
    public void Open_CreatesStoreWithInitialSchemaInWalMode()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("node.db");

        using var store = NodeStore.Open(path);
        using var lease = store.Rent();

        Assert.Equal(path, store.Path);
        Assert.Equal(6, store.SchemaVersion);
        Assert.Equal("wal", Scalar(lease.Connection, "PRAGMA journal_mode"));
        Assert.Equal("2", Scalar(lease.Connection, "PRAGMA synchronous")); // 2 = FULL
        Assert.Equal("1", Scalar(lease.Connection, "PRAGMA foreign_keys"));
        Assert.Equal(
            new[] { "doc_snapshots", "documents", "invites", "own_seq_floor", "peer_sync", "peers", "relay_posted", "relays", "schema_version", "signed_records", "space_entries", "space_keys", "spaces", "update_log" },
            Strings(lease.Connection, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
        Assert.Equal(
            new[] { "created", "id", "name", "name_changed_by", "name_changed_ms", "space_id" },
            Strings(lease.Connection, "SELECT name FROM pragma_table_info('documents') ORDER BY name"));
        Assert.Equal(
            new[] { "doc_id", "origin", "received_ms", "seq", "update_v1" },
            Strings(lease.Connection, "SELECT name FROM pragma_table_info('update_log') ORDER BY name"));
        Assert.Equal(
            new[] { "1", "2", "3", "4", "5", "6" },
            Strings(lease.Connection, "SELECT version FROM schema_version ORDER BY version"));
    }

    [Fact]
    public void Open_Twice_KeepsDataAndAppliesNothingAgain()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("node.db");
        using (var store = NodeStore.Open(path))
        using (var lease = store.Rent())
        {
            Execute(lease.Connection, "INSERT INTO documents (id, name, created) VALUES ('d1', 'notes', 1700000000000)");
        }

        using var reopened = NodeStore.Open(path);
        using var reopenedLease = reopened.Rent();

        Assert.Equal(6, reopened.SchemaVersion);
        Assert.Equal("notes", Scalar(reopenedLease.Connection, "SELECT name FROM documents WHERE id = 'd1'"));
        Assert.Equal("6", Scalar(reopenedLease.Connection, "SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public void Open_AcceptsZeroLengthFileAsNewStore()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("node.db");
        File.WriteAllBytes(path, []);

        using var store = NodeStore.Open(path);

        Assert.Equal(6, store.SchemaVersion);
    }

    [Fact]
    public void EmbeddedMigrations_AreNumberedFromOneWithoutGaps()
    {
        var migrations = EmbeddedMigrations.Load();

        Assert.NotEmpty(migrations);
        Assert.Equal(Enumerable.Range(1, migrations.Count), migrations.Select(m => m.Version));
        Assert.Equal("init", migrations[0].Name);
        Assert.Contains("CREATE TABLE documents", migrations[0].Sql, StringComparison.Ordinal);
        Assert.Equal("log_snapshots_peers", migrations[1].Name);
        Assert.Equal("name_changed_by", migrations[2].Name);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(99)]
    [InlineData(4096)]
    [InlineData(65536)]
    public void Open_RefusesNonSqliteFileAndLeavesItUntouched(int length)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("node.db");
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<StoreOpenException>(() => NodeStore.Open(path));

        Assert.Contains("not a SQLite database", ex.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Open_RefusesSqliteHeaderFollowedByGarbageAndLeavesItUntouched()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("node.db");
        var bytes = new byte[8192];
        new Random(7).NextBytes(bytes);
        "SQLite format 3\0"u8.CopyTo(bytes);
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<StoreOpenException>(() => NodeStore.Open(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void Open_RefusesTruncatedStoreAndLeavesItUntouched()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("node.db");
        using (var store = NodeStore.Open(path))
        using (var lease = store.Rent())
        {
            Execute(lease.Connection, "INSERT INTO documents (id, name, created) VALUES ('d1', 'notes', 1)");
        }

        // Keep the valid header but cut the file inside the first page.
        var truncated = File.ReadAllBytes(path)[..600];
        File.WriteAllBytes(path, truncated);

        Assert.Throws<StoreOpenException>(() => NodeStore.Open(path));
        Assert.Equal(truncated, File.ReadAllBytes(path));
    }

    [Fact]
    public void Open_RefusesSomebodyElsesSqliteDatabase()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("node.db");
        using (var other = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            other.Open();
            Execute(other, "CREATE TABLE photos (id INTEGER PRIMARY KEY); INSERT INTO photos VALUES (1)");
        }

        var before = File.ReadAllBytes(path);

        var ex = Assert.Throws<StoreOpenException>(() => NodeStore.Open(path));

        Assert.Contains("not a p2psync store", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Open_RefusesStoreFromNewerSchema()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("node.db");
        using (var store = NodeStore.Open(path))
        using (var lease = store.Rent())
        {
            Execute(lease.Connection, "INSERT INTO schema_version (version) VALUES (999)");
        }

        var before = File.ReadAllBytes(path);

        var ex = Assert.Throws<StoreOpenException>(() => NodeStore.Open(path));

        Assert.Contains("999", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string[] Strings(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return values.ToArray();
    }
}
