namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// Unsigned LEB128 (7 bits per byte, least significant group first, high bit = more follows) as
/// used inside signed records. Only the shortest form is accepted, so every record has exactly
/// one encoding and two different byte strings never carry the same content under one hash.
/// </summary>
internal static class RecordVaruint
{
    /// <summary>Bytes needed for <paramref name="value"/>.</summary>
    public static int Length(uint value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="position"/> and advances it.</summary>
    public static void Write(Span<byte> destination, ref int position, uint value)
    {
        while (value >= 0x80)
        {
            destination[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[position++] = (byte)value;
    }

    /// <summary>
    /// Reads a value no larger than <paramref name="max"/> from <paramref name="source"/> before
    /// <paramref name="end"/>, advancing <paramref name="position"/>.
    /// </summary>
    /// <exception cref="RecordFormatException">Truncated, not in shortest form, or larger than <paramref name="max"/>.</exception>
    public static uint Read(ReadOnlySpan<byte> source, ref int position, int end, uint max, string what)
    {
        ulong value = 0;
        var shift = 0;
        var start = position;
        var longest = Length(max);
        while (true)
        {
            // Zero groups with the continuation bit never grow the value, so length is capped separately.
            if (position - start == longest)
            {
                throw new RecordFormatException($"The {what} at byte {start} is larger than {max}.");
            }

            if (position >= end)
            {
                throw new RecordFormatException($"The {what} at byte {start} is truncated.");
            }

            var b = source[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (value > max)
            {
                throw new RecordFormatException($"The {what} at byte {start} is larger than {max}.");
            }

            if ((b & 0x80) == 0)
            {
                // A last group of zero after the first byte means a shorter encoding existed.
                if (b == 0 && position - start > 1)
                {
                    throw new RecordFormatException($"The {what} at byte {start} is not in its shortest form.");
                }

                return (uint)value;
            }

            shift += 7;
        }
    }
}
