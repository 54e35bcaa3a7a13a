namespace P2PSync.Node.Tests.Transport.WebRtc.YWebRtc;

/// <summary>Byte-level damage for the seeded mutation tests: bit flips, overwrites, insertions, deletions, truncation.</summary>
internal static class Mutations
{
    public static void Apply(Random random, List<byte> bytes)
    {
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var at = random.Next(Math.Max(1, bytes.Count));
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                case 4 when bytes.Count > 0:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
            }
        }
    }
}
