using System.IO.Compression;
using System.Text.Json;

namespace P2PSync.Node.CrdtTools;

/// <summary>
/// Reads a sequential editing trace from a <c>.json.gz</c> (or plain <c>.json</c>) file.
/// Every structural problem becomes a <see cref="TraceFormatException"/> naming what was wrong.
/// </summary>
internal static class EditTraceReader
{
    /// <summary>
    /// Largest decompressed trace accepted. The biggest real trace (egwalker) is 33 MB; the cap
    /// stops a small gzip bomb from exhausting memory.
    /// </summary>
    public const int MaxDecompressedBytes = 256 * 1024 * 1024;

    /// <summary>Reads and validates the trace at <paramref name="path"/>.</summary>
    public static EditTrace ReadFile(string path)
    {
        if (new FileInfo(path).Length > MaxDecompressedBytes)
        {
            throw new TraceFormatException($"larger than {MaxDecompressedBytes} bytes");
        }

        byte[] json;
        try
        {
            json = Decompress(File.ReadAllBytes(path));
        }
        catch (InvalidDataException ex)
        {
            throw new TraceFormatException($"not a valid gzip file ({ex.Message})", ex);
        }

        return Parse(json);
    }

    /// <summary>Parses trace JSON (already decompressed).</summary>
    public static EditTrace Parse(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return FromJson(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new TraceFormatException($"not valid JSON ({ex.Message})", ex);
        }
    }

    private static byte[] Decompress(byte[] file)
    {
        // gzip magic 1f 8b; anything else is taken to be JSON as it is.
        if (file.Length < 2 || file[0] != 0x1f || file[1] != 0x8b)
        {
            return file;
        }

        using var gzip = new GZipStream(new MemoryStream(file), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = gzip.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (output.Length + read > MaxDecompressedBytes)
            {
                throw new TraceFormatException($"decompresses to more than {MaxDecompressedBytes} bytes");
            }

            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }

    private static EditTrace FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new TraceFormatException("the top level must be a JSON object");
        }

        if (root.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "concurrent")
        {
            throw new TraceFormatException("this is a concurrent trace; only sequential traces can be replayed");
        }

        var start = root.TryGetProperty("startContent", out var startElement) ? RequireString(startElement, "startContent") : "";
        if (!root.TryGetProperty("endContent", out var endElement))
        {
            throw new TraceFormatException("missing endContent");
        }

        var end = RequireString(endElement, "endContent");
        if (!root.TryGetProperty("txns", out var txns) || txns.ValueKind != JsonValueKind.Array)
        {
            throw new TraceFormatException("missing txns array");
        }

        var transactions = new TracePatch[txns.GetArrayLength()][];
        var index = 0;
        var length = CodePointMap.CountCodePoints(start);
        foreach (var txn in txns.EnumerateArray())
        {
            transactions[index] = ReadTransaction(txn, index, ref length);
            index++;
        }

        return new EditTrace(start, end, transactions);
    }

    /// <summary>
    /// Reads one txn and checks each patch against the text length it will meet, so a replay
    /// never reaches a position outside the text (<paramref name="length"/> is in code points).
    /// </summary>
    private static TracePatch[] ReadTransaction(JsonElement txn, int index, ref int length)
    {
        if (txn.ValueKind != JsonValueKind.Object
            || !txn.TryGetProperty("patches", out var patches)
            || patches.ValueKind != JsonValueKind.Array)
        {
            throw new TraceFormatException($"txn {index}: expected an object with a patches array");
        }

        var result = new TracePatch[patches.GetArrayLength()];
        var p = 0;
        foreach (var patch in patches.EnumerateArray())
        {
            if (patch.ValueKind != JsonValueKind.Array || patch.GetArrayLength() != 3)
            {
                throw new TraceFormatException($"txn {index} patch {p}: expected [pos, delCount, insertText]");
            }

            var position = RequireCount(patch[0], index, p);
            var deleteCount = RequireCount(patch[1], index, p);
            var insert = RequireString(patch[2], $"txn {index} patch {p} insertText");
            if (position > length || deleteCount > length - position)
            {
                throw new TraceFormatException(
                    $"txn {index} patch {p}: [{position}, {deleteCount}] reaches past the end of the text ({length} code points)");
            }

            length += CodePointMap.CountCodePoints(insert) - deleteCount;
            result[p] = new TracePatch(position, deleteCount, insert);
            p++;
        }

        return result;
    }

    private static int RequireCount(JsonElement element, int txn, int patch)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var value) || value < 0)
        {
            throw new TraceFormatException($"txn {txn} patch {patch}: positions and counts must be non-negative integers");
        }

        return value;
    }

    private static string RequireString(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw new TraceFormatException($"{what} must be a string");
        }

        return element.GetString()!;
    }
}
