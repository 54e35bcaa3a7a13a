using Microsoft.Data.Sqlite;

namespace P2PSync.Node.Storage;

/// <summary>A connection rented from <see cref="SqliteConnectionPool"/>; disposing gives it back.</summary>
internal sealed class PooledConnection : IDisposable
{
    private readonly SqliteConnectionPool pool;
    private SqliteConnection? connection;

    internal PooledConnection(SqliteConnectionPool pool, SqliteConnection connection)
    {
        this.pool = pool;
        this.connection = connection;
    }

    /// <summary>The rented connection; valid until this lease is disposed.</summary>
    public SqliteConnection Connection =>
        connection ?? throw new ObjectDisposedException(nameof(PooledConnection));

    /// <inheritdoc />
    public void Dispose()
    {
        var returned = Interlocked.Exchange(ref connection, null);
        if (returned is not null)
        {
            pool.Return(returned);
        }
    }
}
