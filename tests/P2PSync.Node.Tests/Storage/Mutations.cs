namespace P2PSync.Node.Tests.Storage;

/// <summary>Seeded damage to a byte string: the kinds of corruption disks and hostile peers produce.</summary>
internal static class Mutations
{
    public static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(5))
        {
            case 0:
                // Flip a few bits.
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    var at = random.Next(bytes.Length);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case 1:
                // Truncate.
                return bytes[..random.Next(bytes.Length)];
            case 2:
                // Append junk.
                var longer = new byte[bytes.Length + random.Next(1, 16)];
                bytes.CopyTo(longer, 0);
                random.NextBytes(longer.AsSpan(bytes.Length));
                return longer;
            case 3:
                // Overwrite a byte with an extreme value (lengths and varints hate 0xff).
                bytes[random.Next(bytes.Length)] = random.Next(2) == 0 ? (byte)0xff : (byte)0x00;
                return bytes;
            default:
                // Pure noise of a similar size.
                var noise = new byte[random.Next(1, bytes.Length * 2)];
                random.NextBytes(noise);
                return noise;
        }
    }
}
