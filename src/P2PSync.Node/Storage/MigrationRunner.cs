using Microsoft.Data.Sqlite;

namespace P2PSync.Node.Storage;

/// <summary>
/// Brings a store's schema up to the newest embedded migration, one transaction per step, so a
/// crash in the middle leaves the store at the previous version rather than half-migrated.
/// </summary>
internal static class MigrationRunner
{
    /// <summary>The schema version recorded in the store, 0 for a store with no tables at all.</summary>
    public static int ReadVersion(SqliteConnection connection, string path)
    {
        var tables = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (tables.Count == 0)
        {
            return 0;
        }

        if (!tables.Contains("schema_version"))
        {
            // Somebody else's database: adding our tables to it would be a surprise for its owner.
            throw new StoreOpenException(
                $"{path} is a SQLite database but not a p2psync store (no schema_version table); refusing to modify it");
        }

        using var versionCommand = connection.CreateCommand();
        versionCommand.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        return Convert.ToInt32(versionCommand.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Applies every migration newer than <paramref name="currentVersion"/>; returns the new version.</summary>
    public static int Apply(SqliteConnection connection, IReadOnlyList<Migration> migrations, int currentVersion)
    {
        foreach (var migration in migrations)
        {
            if (migration.Version <= currentVersion)
            {
                continue;
            }

            using var transaction = connection.BeginTransaction();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = migration.Sql;
                command.ExecuteNonQuery();
            }

            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_version (version) VALUES ($version)";
                record.Parameters.AddWithValue("$version", migration.Version);
                record.ExecuteNonQuery();
            }

            transaction.Commit();
            currentVersion = migration.Version;
        }

        return currentVersion;
    }
}
