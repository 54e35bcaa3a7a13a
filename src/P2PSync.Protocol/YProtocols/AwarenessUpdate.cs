using System.Text.Json;

namespace P2PSync.Protocol.YProtocols;

/// <summary>
/// The y-protocols awareness update (awareness.js <c>encodeAwarenessUpdate</c>):
/// <code>
/// +---------------+-----------------------------------------------------------------+
/// | varuint count | count x ( varuint clientID | varuint clock | varstring JSON state ) |
/// +---------------+-----------------------------------------------------------------+
/// </code>
/// States are kept as JSON text so relaying them is byte-exact; decoding checks that each one
/// parses as JSON because y-protocols would throw on it in every receiving browser.
/// </summary>
public static class AwarenessUpdate
{
    /// <summary>Upper bound on entries, so a forged count cannot make us allocate or loop for long.</summary>
    public const int MaxEntries = 100_000;

    public static byte[] Encode(IReadOnlyList<AwarenessEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var writer = new Lib0Writer();
        writer.WriteVarUint((ulong)entries.Count);
        foreach (var entry in entries)
        {
            writer.WriteVarUint(entry.ClientId);
            writer.WriteVarUint(entry.Clock);
            writer.WriteVarString(entry.StateJson);
        }

        return writer.ToArray();
    }

    /// <exception cref="YProtocolFormatException">The bytes are not one awareness update.</exception>
    public static IReadOnlyList<AwarenessEntry> Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new Lib0Reader(bytes);
        var count = reader.ReadVarUint();
        // Every entry takes at least 3 bytes, which bounds a believable count by the input size.
        if (count > MaxEntries || count * 3 > (ulong)reader.Remaining)
        {
            throw new YProtocolFormatException($"awareness update claims {count} entries in {reader.Remaining} bytes");
        }

        var entries = new List<AwarenessEntry>((int)count);
        for (var i = 0UL; i < count; i++)
        {
            var clientId = reader.ReadVarUint();
            var clock = reader.ReadVarUint();
            var state = reader.ReadVarString();
            EnsureJson(state);
            entries.Add(new AwarenessEntry(clientId, clock, state));
        }

        reader.ExpectEnd("awareness update");
        return entries;
    }

    private static void EnsureJson(string state)
    {
        try
        {
            using var _ = JsonDocument.Parse(state);
        }
        catch (JsonException ex)
        {
            throw new YProtocolFormatException("awareness state is not JSON", ex);
        }
    }
}
