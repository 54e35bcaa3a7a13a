using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace P2PSync.Node.Storage;

/// <summary>
/// Open, fully configured connections to one store file, handed out one per operation.
/// A SqliteConnection must not be shared between threads; with WAL, separate connections let
/// readers (LoadDoc, List) run while one writer commits. Our own pool instead of
/// Microsoft.Data.Sqlite's lets every connection keep its per-connection pragmas
/// (synchronous, foreign_keys, busy_timeout) set once, and closes every file handle on Dispose.
/// </summary>
internal sealed class SqliteConnectionPool : IDisposable
{
    // Idle connections kept beyond this are closed; more than a few concurrent readers is rare.
    private const int MaxIdle = 8;

    private readonly string connectionString;
    private readonly ConcurrentBag<SqliteConnection> idle = [];
    private int idleCount;
    private int disposed;

    public SqliteConnectionPool(string path)
    {
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            // This class is the pool; the library's pool would keep the file open after Dispose.
            Pooling = false,
        }.ToString();
    }

    /// <summary>A connection for the caller's exclusive use until the lease is disposed.</summary>
    public PooledConnection Rent()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        if (idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref idleCount);
            return new PooledConnection(this, connection);
        }

        return new PooledConnection(this, OpenConfigured());
    }

    /// <summary>Takes a connection back; a broken or surplus one is closed instead.</summary>
    internal void Return(SqliteConnection connection)
    {
        if (Volatile.Read(ref disposed) != 0 || connection.State != System.Data.ConnectionState.Open)
        {
            connection.Dispose();
            return;
        }

        if (Interlocked.Increment(ref idleCount) > MaxIdle)
        {
            Interlocked.Decrement(ref idleCount);
            connection.Dispose();
            return;
        }

        idle.Add(connection);
        if (Volatile.Read(ref disposed) != 0)
        {
            // Dispose ran between the check above and Add: do not leak the handle.
            DrainIdle();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        DrainIdle();
    }

    private void DrainIdle()
    {
        while (idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref idleCount);
            connection.Dispose();
        }
    }

    private SqliteConnection OpenConfigured()
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            StoreDurability.Configure(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
