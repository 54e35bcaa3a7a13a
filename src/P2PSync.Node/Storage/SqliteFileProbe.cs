namespace P2PSync.Node.Storage;

/// <summary>
/// Looks at the first bytes of an existing file before SQLite is allowed near it. SQLite treats
/// some foreign files as empty databases and would happily write a schema into them; checking the
/// 16-byte magic string first is what guarantees a stray file is refused and never overwritten.
/// </summary>
internal static class SqliteFileProbe
{
    // "SQLite format 3\0": the fixed start of every SQLite 3 database file.
    private static ReadOnlySpan<byte> Magic => "SQLite format 3\0"u8;

    // The database header is 100 bytes; anything shorter cannot be a database.
    private const int HeaderLength = 100;

    /// <summary>What an existing path holds, as far as its header tells.</summary>
    public static SqliteFileKind Inspect(string path)
    {
        if (!File.Exists(path))
        {
            return SqliteFileKind.Missing;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.Length == 0)
        {
            // SQLite itself creates zero-length files before the first write; treat as new.
            return SqliteFileKind.Empty;
        }

        if (stream.Length < HeaderLength)
        {
            return SqliteFileKind.Foreign;
        }

        Span<byte> header = stackalloc byte[16];
        stream.ReadExactly(header);
        return header.SequenceEqual(Magic) ? SqliteFileKind.Sqlite : SqliteFileKind.Foreign;
    }
}
