using Microsoft.Data.Sqlite;
using P2PSync.Node.Storage;

namespace P2PSync.Interop.Tests.Spaces;

/// <summary>
/// Which content-key epochs of a space a node holds, read straight from its store (table
/// space_keys, migration 0004). The API reports the space's current epoch from the membership
/// log, which a removed device is told about; only the store shows which keys it actually got.
/// </summary>
internal static class StoredKeys
{
    public static IReadOnlyList<long> EpochsOf(string dataDirectory, string spaceIdHex)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, NodeStore.FileName),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        using var connection = new SqliteConnection(builder.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT epoch FROM space_keys WHERE space_id = $space ORDER BY epoch";
        command.Parameters.AddWithValue("$space", Convert.FromHexString(spaceIdHex));
        using var reader = command.ExecuteReader();
        var epochs = new List<long>();
        while (reader.Read())
        {
            epochs.Add(reader.GetInt64(0));
        }

        return epochs;
    }
}
