namespace P2PSync.Node.Storage;

/// <summary>The result of <see cref="SqliteFileProbe.Inspect"/>.</summary>
internal enum SqliteFileKind
{
    /// <summary>No file at the path.</summary>
    Missing,

    /// <summary>A zero-length file, which SQLite treats as a new database.</summary>
    Empty,

    /// <summary>A file that starts with the SQLite 3 header.</summary>
    Sqlite,

    /// <summary>A non-empty file that is not a SQLite 3 database.</summary>
    Foreign,
}
