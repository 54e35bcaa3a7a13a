using Microsoft.Data.Sqlite;

namespace P2PSync.Node.Storage;

/// <summary>
/// The node's SQLite database (WAL mode) with its schema brought up to date on open.
/// Opening never damages an existing file: foreign or corrupt files are refused untouched.
/// One instance per process, shared by all threads: every operation rents its own pooled
/// connection and runs in its own transaction; writers queue on one in-process lock
/// (see <see cref="StoreTransactions"/>).
/// </summary>
internal sealed class NodeStore : IDisposable
{
    /// <summary>The store's file name inside the data directory.</summary>
    public const string FileName = "node.db";

    private readonly SqliteConnectionPool pool;

    private NodeStore(string path, SqliteConnectionPool pool, int schemaVersion, TimeProvider time)
    {
        Path = path;
        this.pool = pool;
        SchemaVersion = schemaVersion;
        var transactions = new StoreTransactions(pool, path);
        Documents = new DocumentRepository(transactions, time);
        Peers = new PeerRepository(transactions, time);
        Spaces = new SpaceRepository(transactions);
        Invites = new InviteRepository(transactions);
        RelayOutbox = new RelayOutboxRepository(transactions);
        Relays = new RelayRepository(transactions, time);
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>The schema version after migrations ran.</summary>
    public int SchemaVersion { get; }

    /// <summary>Documents, their update logs and snapshots.</summary>
    public DocumentRepository Documents { get; }

    /// <summary>Trusted devices, space members we dial, and per-peer sync state.</summary>
    public PeerRepository Peers { get; }

    /// <summary>Spaces: names, membership log entries and vault-protected content keys.</summary>
    public SpaceRepository Spaces { get; }

    /// <summary>Invites this node issued, and whether they were used.</summary>
    public InviteRepository Invites { get; }

    /// <summary>How far this device's own records went to the relay's mailbox (schema 5).</summary>
    public RelayOutboxRepository RelayOutbox { get; }

    /// <summary>The relays this device uses, first one first (schema 6, <c>relay add</c>).</summary>
    public RelayRepository Relays { get; }

    /// <summary>
    /// Opens the store at <paramref name="path"/>, creating it if missing, and applies pending
    /// migrations. Throws <see cref="StoreOpenException"/> for anything that is not a healthy
    /// p2psync store, without having written to it. Times written to the store come from
    /// <paramref name="time"/> (the system clock when null).
    /// </summary>
    public static NodeStore Open(string path, TimeProvider? time = null)
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
        int version;
        try
        {
            connection.Open();
            StoreDurability.Configure(connection);
            version = MigrationRunner.ReadVersion(connection, path);
            version = MigrationRunner.Apply(connection, migrations, version);
        }
        catch (SqliteException ex)
        {
            throw new StoreOpenException($"{path} could not be opened as a p2psync store: {ex.Message}", ex);
        }
        finally
        {
            connection.Dispose();
        }

        return new NodeStore(path, new SqliteConnectionPool(path), version, time ?? TimeProvider.System);
    }

    /// <summary>
    /// A connection of this store for the caller's exclusive use (configured like the
    /// repositories' own); for tests and diagnostics that need raw SQL.
    /// </summary>
    internal PooledConnection Rent() => pool.Rent();

    /// <summary>Closes every connection; the last close checkpoints the WAL into the main file.</summary>
    public void Dispose() => pool.Dispose();

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
}
