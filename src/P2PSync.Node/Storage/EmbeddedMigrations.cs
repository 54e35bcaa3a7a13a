using System.Reflection;
using System.Text.RegularExpressions;

namespace P2PSync.Node.Storage;

/// <summary>
/// Finds the schema files compiled into this assembly. They are embedded (not copied next to the
/// binary) so that a node can never run against a schema that differs from the code reading it.
/// </summary>
internal static partial class EmbeddedMigrations
{
    [GeneratedRegex(@"\.Migrations\.(?<version>\d{4})_(?<name>[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();

    /// <summary>All migrations, ordered by version; versions are 1, 2, 3... with no gaps.</summary>
    public static IReadOnlyList<Migration> Load()
    {
        var assembly = typeof(EmbeddedMigrations).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"embedded resource {resource} vanished");
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(
                int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            // A gap would mean a file was lost or misnamed; running past it would build a wrong schema.
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"schema migrations must be numbered 1..n without gaps; found {migrations[i].Version} at position {i + 1}");
            }
        }

        return migrations;
    }
}
