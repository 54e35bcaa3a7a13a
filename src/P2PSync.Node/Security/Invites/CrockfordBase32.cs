namespace P2PSync.Node.Security.Invites;

/// <summary>
/// Crockford base32 without padding, most significant bit first: 5 bits per symbol from an
/// alphabet with no I, L, O or U, so codes survive being read aloud or retyped. Input is
/// case-insensitive and reads O as 0 and I/L as 1 (Crockford's aliases), like DeviceId does.
/// </summary>
internal static class CrockfordBase32
{
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>Symbols needed for <paramref name="byteCount"/> bytes (the last one zero-padded).</summary>
    public static int SymbolCount(int byteCount) => ((byteCount * 8) + 4) / 5;

    /// <summary>The value 0..31 of a typed character, or -1 when it is not one.</summary>
    public static int ValueOf(char c)
    {
        var upper = char.ToUpperInvariant(c) switch
        {
            'O' => '0',
            'I' or 'L' => '1',
            var other => other,
        };
        return Alphabet.IndexOf(upper, StringComparison.Ordinal);
    }

    /// <summary>The symbols of <paramref name="bytes"/>, without separators.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var symbols = new char[SymbolCount(bytes.Length)];
        var buffer = 0;
        var bits = 0;
        var next = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                symbols[next++] = Alphabet[(buffer >> bits) & 31];
            }
        }

        if (bits > 0)
        {
            symbols[next] = Alphabet[(buffer << (5 - bits)) & 31];
        }

        return new string(symbols);
    }

    /// <summary>
    /// Packs symbol values back into bytes: <paramref name="output"/> gets floor(5n/8) bytes.
    /// False when the values cannot come from <see cref="Encode"/>: a whole symbol beyond the last
    /// byte, or padding bits that are not zero (two texts must never name the same bytes).
    /// </summary>
    public static bool TryPack(ReadOnlySpan<byte> values, Span<byte> output, out int written)
    {
        written = 0;
        var buffer = 0;
        var bits = 0;
        foreach (var value in values)
        {
            buffer = ((buffer << 5) | value) & 0xFFFF;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                output[written++] = (byte)(buffer >> bits);
            }
        }

        return bits < 5 && (buffer & ((1 << bits) - 1)) == 0;
    }
}
