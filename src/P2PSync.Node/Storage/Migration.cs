namespace P2PSync.Node.Storage;

/// <summary>One numbered schema step, read from an embedded <c>Migrations/NNNN_name.sql</c> file.</summary>
internal sealed record Migration(int Version, string Name, string Sql);
