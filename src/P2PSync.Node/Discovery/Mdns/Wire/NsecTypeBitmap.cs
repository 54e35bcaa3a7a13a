namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// The NSEC type bitmap (RFC 4034 §4.1.2): the 65536 types split in 256 windows of 256 types;
/// each window present is written as
///
///   +-------------+-------------+----------------------------+
///   | window (8)  | length (8)  | bitmap, 1..32 bytes        |
///   +-------------+-------------+----------------------------+
///
/// where bit 0 (the top bit) of byte 0 is type window*256+0. Windows appear in increasing
/// order, and trailing zero bytes are left out, so length is 1..32.
/// </summary>
internal static class NsecTypeBitmap
{
    private const int MaxBitmapBytes = 32;

    public static IReadOnlySet<DnsRecordType> Read(ReadOnlySpan<byte> data, string what)
    {
        var types = new SortedSet<DnsRecordType>();
        var previousWindow = -1;
        var position = 0;
        while (position < data.Length)
        {
            if (data.Length - position < 2)
                throw new DnsFormatException($"An NSEC window header in {what} is cut off.");
            int window = data[position];
            int length = data[position + 1];
            position += 2;
            if (window <= previousWindow)
                throw new DnsFormatException($"NSEC windows in {what} are not in increasing order.");
            if (length is 0 or > MaxBitmapBytes)
                throw new DnsFormatException($"An NSEC bitmap in {what} is {length} bytes; it must be 1..{MaxBitmapBytes}.");
            if (data.Length - position < length)
                throw new DnsFormatException($"An NSEC bitmap in {what} runs past its rdlength.");
            for (var i = 0; i < length; i++)
            {
                var b = data[position + i];
                for (var bit = 0; bit < 8; bit++)
                {
                    if ((b & (0x80 >> bit)) != 0)
                        types.Add((DnsRecordType)((window << 8) | (i << 3) | bit));
                }
            }
            position += length;
            previousWindow = window;
        }
        return types;
    }

    public static void Write(IReadOnlySet<DnsRecordType> types, DnsWriter writer)
    {
        Span<byte> bitmap = stackalloc byte[MaxBitmapBytes];
        foreach (var group in types.GroupBy(t => (ushort)t >> 8).OrderBy(g => g.Key))
        {
            bitmap.Clear();
            var used = 0;
            foreach (var type in group)
            {
                var low = (ushort)type & 0xFF;
                bitmap[low >> 3] |= (byte)(0x80 >> (low & 7));
                used = Math.Max(used, (low >> 3) + 1);
            }
            writer.WriteByte((byte)group.Key);
            writer.WriteByte((byte)used);
            writer.WriteBytes(bitmap[..used]);
        }
    }
}
