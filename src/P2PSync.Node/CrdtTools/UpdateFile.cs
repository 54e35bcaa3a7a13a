using P2PSync.Crdt;
using P2PSync.Crdt.Core;

namespace P2PSync.Node.CrdtTools;

/// <summary>Reads Yjs update files (v1 or v2) into documents and writes documents back out.</summary>
internal static class UpdateFile
{
    /// <summary>
    /// A document with a fixed client id: these tools only read and re-encode, so the id never
    /// reaches the output, and fixing it keeps runs reproducible without a random source.
    /// </summary>
    public static Doc NewDoc() => new(new DocOptions { ClientId = 1, Gc = true });

    /// <summary>
    /// Applies the update bytes of <paramref name="path"/> to <paramref name="doc"/>.
    /// Throws <see cref="UpdateFormatException"/> for malformed bytes (the doc is then unchanged)
    /// and the usual IO exceptions when the file cannot be read.
    /// </summary>
    public static void ApplyTo(Doc doc, string path, bool v2)
    {
        var bytes = File.ReadAllBytes(path);
        if (v2)
        {
            Y.ApplyUpdateV2(doc, bytes, origin: null);
        }
        else
        {
            Y.ApplyUpdate(doc, bytes, origin: null);
        }
    }

    /// <summary>The whole state of <paramref name="doc"/> as one update.</summary>
    public static byte[] Encode(Doc doc, bool v2) =>
        v2 ? Y.EncodeStateAsUpdateV2(doc) : Y.EncodeStateAsUpdate(doc);

    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="path"/> through a temporary file, so an
    /// interrupted write never leaves a truncated update where a good one was.
    /// </summary>
    public static void WriteAtomically(string path, byte[] bytes)
    {
        var full = Path.GetFullPath(path);
        var temporary = full + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, full, overwrite: true);
    }
}
