using Microsoft.Data.Sqlite;

namespace P2PSync.Node.Storage;

/// <summary>
/// The per-connection settings that make "committed" mean "on disk".
/// <para>
/// journal_mode=WAL (persistent in the file) lets readers run beside the one writer.
/// synchronous=FULL makes SQLite fsync the WAL at every commit. With WAL, NORMAL would already
/// survive kill -9 (a committed transaction sits in the WAL file in the OS page cache), but
/// it may lose the last commits on power loss or an OS crash, because the WAL is only synced
/// at checkpoints. "Acknowledged is never lost" has to hold when a laptop's battery dies too,
/// so we pay one fsync per commit; callers that receive many updates at once can batch them
/// into one commit with <see cref="DocumentRepository.AppendUpdates"/>.
/// </para>
/// </summary>
internal static class StoreDurability
{
    // How long a writer waits for another process's write lock before SQLite reports BUSY.
    private const int BusyTimeoutMilliseconds = 10_000;

    /// <summary>Applies the settings to a freshly opened read-write connection.</summary>
    public static void Configure(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            "PRAGMA journal_mode = WAL; " +
            "PRAGMA synchronous = FULL; " +
            "PRAGMA foreign_keys = ON; " +
            $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds};";
        command.ExecuteNonQuery();
    }
}
