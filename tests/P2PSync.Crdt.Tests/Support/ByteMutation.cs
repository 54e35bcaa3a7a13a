namespace P2PSync.Crdt.Tests.Support;

/// <summary>
/// One seeded small corruption of a valid encoding: a cut tail, a few flipped bits, one
/// overwritten byte or one inserted byte. Small on purpose, so that the damaged input still
/// gets deep into a decoder before going wrong.
/// </summary>
internal static class ByteMutation
{
    public static byte[] Mutate(Random random, byte[] original)
    {
        if (original.Length == 0)
        {
            // Nothing to damage; a lone byte at least exercises the first read.
            return [(byte)random.Next(256)];
        }
        var bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                return bytes[..random.Next(bytes.Length)];
            case 1:
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }
                return bytes;
            case 2:
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            default:
                var at = random.Next(bytes.Length + 1);
                return [.. bytes[..at], (byte)random.Next(256), .. bytes[at..]];
        }
    }
}
