using Microsoft.Data.Sqlite;

namespace P2PSync.Node.Storage;

/// <summary>
/// The node's SQLite database (WAL mode) with its schema brought up to date on open.
/// Opening never damages an existing file: foreign or corrupt files are refused untouched.
/// </summary>
internal sealed class NodeStore : IDisposable
{
    /// <summary>The store's file name inside the data directory.</summary>
    public const string FileName = "node.db";

    private NodeStore(string path, SqliteConnection connection, int schemaVersion)
    {
        Path = path;
        Connection = connection;
        SchemaVersion = schemaVersion;
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>The schema version after migrations ran.</summary>
    public int SchemaVersion { get; }

    internal SqliteConnection Connection { get; }

    /// <summary>
    /// Opens the store at <paramref name="path"/>, creating it if missing, and applies pending
    /// migrations. Throws <see cref="StoreOpenException"/> for anything that is not a healthy
    /// p2psync store, without having written to it.
    /// </summary>
    public static NodeStore Open(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        var migrations = EmbeddedMigrations.Load();
        var kind = SqliteFileProbe.Inspect(path);
        if (kind == SqliteFileKind.Foreign)
        {
            throw new StoreOpenException($"{path} is not a SQLite database; refusing to open or overwrite it");
        }

        if (kind == SqliteFileKind.Sqlite)
        {
            // Look first through a read-only connection: switching to WAL or migrating would write
            // to page 1, and a damaged file must stay byte-for-byte as we found it.
            InspectReadOnly(path, migrations.Count);
        }

        var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWriteCreate));
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL");
            Execute(connection, "PRAGMA foreign_keys = ON");
            var version = MigrationRunner.ReadVersion(connection, path);
            version = MigrationRunner.Apply(connection, migrations, version);
            return new NodeStore(path, connection, version);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new StoreOpenException($"{path} could not be opened as a p2psync store: {ex.Message}", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Connection.Dispose();

    private static void InspectReadOnly(string path, int newestKnownVersion)
    {
        try
        {
            using var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadOnly));
            connection.Open();
            var version = MigrationRunner.ReadVersion(connection, path);
            if (version > newestKnownVersion)
            {
                throw new StoreOpenException(
                    $"{path} has schema version {version}, newer than this p2psync understands ({newestKnownVersion}); upgrade p2psync");
            }
        }
        catch (SqliteException ex)
        {
            throw new StoreOpenException($"{path} is damaged or not a p2psync store: {ex.Message}", ex);
        }
    }

    private static string ConnectionString(string path, SqliteOpenMode mode) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            // Pooled connections would keep the file open after Dispose; a store is opened rarely.
            Pooling = false,
        }.ToString();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
