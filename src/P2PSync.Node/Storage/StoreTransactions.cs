using Microsoft.Data.Sqlite;

namespace P2PSync.Node.Storage;

/// <summary>
/// How every store operation touches SQLite, so thread safety is decided in one place:
/// each operation rents its own connection (a SqliteConnection is not thread safe) and runs
/// in one transaction. Reads use a deferred transaction, which in WAL mode pins one consistent
/// snapshot of the file for all their SELECTs (a snapshot and the log after it can never come
/// from two different moments) and never waits for a writer. Writes take an in-process gate
/// first, then BEGIN IMMEDIATE: threads of this process queue on the gate in order instead of
/// spinning in SQLite's busy handler, and another process holding the write lock is waited for
/// by busy_timeout.
/// </summary>
internal sealed class StoreTransactions
{
    private readonly SqliteConnectionPool pool;
    private readonly string path;
    private readonly Lock writeGate = new();

    public StoreTransactions(SqliteConnectionPool pool, string path)
    {
        this.pool = pool;
        this.path = path;
    }

    /// <summary>Runs <paramref name="work"/> against one consistent snapshot of the store.</summary>
    public T Read<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        try
        {
            using var lease = pool.Rent();
            using var transaction = lease.Connection.BeginTransaction(deferred: true);
            var result = work(lease.Connection, transaction);
            transaction.Commit();
            return result;
        }
        catch (SqliteException ex)
        {
            throw new StoreIOException(path, ex);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> as one write transaction; it is durable (see
    /// <see cref="StoreDurability"/>) when this returns. An exception rolls everything back;
    /// SQLite's own failures (disk full, I/O error, busy) surface as <see cref="StoreIOException"/>.
    /// </summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work) => Write(work, synced: true);

    /// <summary>
    /// Like <see cref="Write{T}"/>, but with <paramref name="synced"/> false the commit skips
    /// its fsync (synchronous=NORMAL for this one transaction). For bookkeeping that is cheap to
    /// lose and recompute (what a peer was sent, when it was last seen): it still survives a
    /// killed process, only a power cut may roll it back, and the next synced commit makes it
    /// durable too because it flushes the whole WAL.
    /// </summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work, bool synced)
    {
        lock (writeGate)
        {
            try
            {
                using var lease = pool.Rent();
                if (synced)
                {
                    return Commit(lease.Connection, work);
                }

                SetSynchronous(lease.Connection, "NORMAL");
                try
                {
                    return Commit(lease.Connection, work);
                }
                finally
                {
                    SetSynchronous(lease.Connection, "FULL");
                }
            }
            catch (SqliteException ex)
            {
                throw new StoreIOException(path, ex);
            }
        }
    }

    private static T Commit<T>(SqliteConnection connection, Func<SqliteConnection, SqliteTransaction, T> work)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    }

    private static void SetSynchronous(SqliteConnection connection, string level)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA synchronous = {level}";
        command.ExecuteNonQuery();
    }
}
