namespace P2PSync.Node.Tests.Support;

/// <summary>Seeded random edits of a byte string, always different from the original, for refusal tests.</summary>
internal static class ByteMutator
{
    // One to four edits: xor a byte with a non-zero value, delete a byte, insert a byte, or cut the tail.
    public static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        var edits = random.Next(1, 5);
        for (var i = 0; i < edits || bytes.SequenceEqual(original); i++)
        {
            switch (random.Next(4))
            {
                case 0 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] ^= (byte)random.Next(1, 256);
                    break;
                case 1 when bytes.Count > 0:
                    bytes.RemoveAt(random.Next(bytes.Count));
                    break;
                case 2:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                default:
                    var keep = random.Next(bytes.Count + 1);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    break;
            }
        }

        return bytes.ToArray();
    }
}
