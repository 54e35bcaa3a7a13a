namespace P2PSync.Node.Tests.Discovery.Mdns.Wire;

/// <summary>
/// Damages valid packets the ways a network or an attacker would: bit flips, truncation,
/// inserted, deleted, duplicated or overwritten bytes, and rewritten header counts or pointer
/// bytes (the fields most likely to send a parser astray).
/// </summary>
internal static class PacketMutator
{
    public static byte[] Mutate(byte[] packet, Random random)
    {
        var bytes = new List<byte>(packet);
        var steps = 1 + random.Next(4);
        for (var step = 0; step < steps; step++)
        {
            switch (random.Next(8))
            {
                case 0 when bytes.Count > 0:
                    var at = random.Next(bytes.Count);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    // Truncation: keep a random prefix.
                    var keep = random.Next(bytes.Count);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    break;
                case 2:
                    var insert = new byte[1 + random.Next(8)];
                    random.NextBytes(insert);
                    bytes.InsertRange(random.Next(bytes.Count + 1), insert);
                    break;
                case 3 when bytes.Count > 0:
                    var from = random.Next(bytes.Count);
                    bytes.RemoveRange(from, Math.Min(bytes.Count - from, 1 + random.Next(8)));
                    break;
                case 4 when bytes.Count > 0:
                    var start = random.Next(bytes.Count);
                    var length = Math.Min(bytes.Count - start, 1 + random.Next(16));
                    bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(start, length));
                    break;
                case 5 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 6 when bytes.Count >= 12:
                    // A header count (offsets 4..11), small or absurd.
                    var field = 4 + 2 * random.Next(4);
                    var count = random.Next(2) == 0 ? random.Next(8) : random.Next(0x10000);
                    bytes[field] = (byte)(count >> 8);
                    bytes[field + 1] = (byte)count;
                    break;
                case 7 when bytes.Count >= 2:
                    // A compression pointer anywhere, to anywhere.
                    var p = random.Next(bytes.Count - 1);
                    var target = random.Next(Math.Max(1, bytes.Count + 8));
                    bytes[p] = (byte)(0xC0 | ((target >> 8) & 0x3F));
                    bytes[p + 1] = (byte)target;
                    break;
            }
        }
        return [.. bytes];
    }
}
