using Microsoft.Data.Sqlite;
using P2PSync.Node.Storage;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Storage;

/// <summary>A fresh store in a temp directory with a manual clock; disposes both.</summary>
internal sealed class StoreFixture : IDisposable
{
    private readonly TempDirectory directory = new();

    public StoreFixture()
    {
        Path = directory.Combine(NodeStore.FileName);
        Store = NodeStore.Open(Path, Clock);
    }

    public ManualClock Clock { get; } = new();

    public string Path { get; }

    public NodeStore Store { get; private set; }

    public DocumentRepository Documents => Store.Documents;

    public PeerRepository Peers => Store.Peers;

    /// <summary>Closes and opens the store again, as a restart would.</summary>
    public void Reopen()
    {
        Store.Dispose();
        Store = NodeStore.Open(Path, Clock);
    }

    /// <summary>A raw connection of its own, as another process or a repair tool would have.</summary>
    public SqliteConnection OpenRawConnection()
    {
        var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 10000";
        command.ExecuteNonQuery();
        return connection;
    }

    public void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        Store.Dispose();
        directory.Dispose();
    }
}
