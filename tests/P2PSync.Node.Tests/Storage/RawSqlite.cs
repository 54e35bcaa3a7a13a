using Microsoft.Data.Sqlite;

namespace P2PSync.Node.Tests.Storage;

/// <summary>
/// Direct SQLite access for tests that must build or inspect a store file behind NodeStore's
/// back (older schemas, damaged rows). No pooling, so a closed connection releases the file.
/// </summary>
internal static class RawSqlite
{
    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
