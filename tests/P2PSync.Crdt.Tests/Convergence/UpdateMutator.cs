namespace P2PSync.Crdt.Tests.Convergence;

/// <summary>Damages real updates the ways transports and attackers do: bit flips, cuts, splices, junk.</summary>
internal static class UpdateMutator
{
    public static byte[] Mutate(IReadOnlyList<byte[]> corpus, Random random)
    {
        var bytes = (byte[])corpus[random.Next(corpus.Count)].Clone();
        var mutations = 1 + random.Next(3);
        for (var i = 0; i < mutations; i++)
        {
            bytes = MutateOnce(bytes, corpus, random);
        }
        return bytes;
    }

    private static byte[] MutateOnce(byte[] bytes, IReadOnlyList<byte[]> corpus, Random random)
    {
        if (bytes.Length == 0)
        {
            return [(byte)random.Next(256)];
        }
        var at = random.Next(bytes.Length);
        switch (random.Next(7))
        {
            case 0: // flip one bit
                bytes[at] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1: // cut the tail
                return bytes[..at];
            case 2: // cut a piece out of the middle
                return [.. bytes[..at], .. bytes[Math.Min(bytes.Length, at + 1 + random.Next(8))..]];
            case 3: // splice: this update's head with another one's tail
                var other = corpus[random.Next(corpus.Count)];
                return [.. bytes[..at], .. other[random.Next(other.Length + 1)..]];
            case 4: // overwrite with a large varint (huge counts, lengths, clocks)
                byte[] big = [0xff, 0xff, 0xff, 0xff, (byte)random.Next(0x80)];
                return [.. bytes[..at], .. big, .. bytes[Math.Min(bytes.Length, at + big.Length)..]];
            case 5: // insert a random byte
                return [.. bytes[..at], (byte)random.Next(256), .. bytes[at..]];
            default: // replace a byte with an interesting value
                byte[] interesting = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x08, 0x09, 0x0a];
                bytes[at] = interesting[random.Next(interesting.Length)];
                return bytes;
        }
    }
}
