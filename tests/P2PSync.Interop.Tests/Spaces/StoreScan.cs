using System.Text;

namespace P2PSync.Interop.Tests.Spaces;

/// <summary>
/// Looks for a text in every file of a node's data directory, byte for byte (UTF-8, as Yjs
/// stores strings). The store is SQLite in WAL mode, so recent writes may sit in the -wal file:
/// every file is read, whatever its name, while the node still has it open.
/// </summary>
internal static class StoreScan
{
    /// <summary>The files (relative to <paramref name="dataDirectory"/>) whose bytes contain <paramref name="marker"/>.</summary>
    public static IReadOnlyList<string> FilesContaining(string dataDirectory, string marker)
    {
        var needle = Encoding.UTF8.GetBytes(marker);
        var found = new List<string>();
        foreach (var path in Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories))
        {
            if (Contains(ReadShared(path), needle))
            {
                found.Add(Path.GetRelativePath(dataDirectory, path));
            }
        }

        return found;
    }

    private static byte[] ReadShared(string path)
    {
        try
        {
            // The node keeps its database open and writing: share everything, take a snapshot.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
        catch (FileNotFoundException)
        {
            // A -journal or temp file that vanished between listing and reading holds nothing now.
            return [];
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
