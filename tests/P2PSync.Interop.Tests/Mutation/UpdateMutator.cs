namespace P2PSync.Interop.Tests.Mutation;

/// <summary>
/// Seeded corruptions of real updates: bit flips, truncation, inserted/deleted/overwritten bytes,
/// huge or overlong varints, duplicated chunks and splices of two different updates. Each
/// mutation says what it did so a failure can be read without rerunning it.
/// </summary>
internal static class UpdateMutator
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x02, 0x07, 0x08, 0x09, 0x0a, 0x3f, 0x40, 0x7f, 0x80, 0xc0, 0xfe, 0xff];

    public static (byte[] Bytes, string Description) Mutate(Random rng, byte[] update, byte[] other)
    {
        var len = update.Length;
        switch (rng.Next(9))
        {
            case 0:
            {
                var b = (byte[])update.Clone();
                var flips = rng.Next(1, 4);
                var where = new List<string>();
                for (var i = 0; i < flips && len > 0; i++)
                {
                    var pos = rng.Next(len);
                    var bit = rng.Next(8);
                    b[pos] ^= (byte)(1 << bit);
                    where.Add($"{pos}.{bit}");
                }

                return (b, $"flip bits {string.Join(",", where)}");
            }

            case 1:
            {
                var cut = len == 0 ? 0 : rng.Next(len);
                return (update[..cut], $"truncate to {cut} of {len}");
            }

            case 2:
            {
                var pos = rng.Next(len + 1);
                var value = rng.Next(2) == 0 ? InterestingBytes[rng.Next(InterestingBytes.Length)] : (byte)rng.Next(256);
                return ([.. update[..pos], value, .. update[pos..]], $"insert byte {value:x2} at {pos}");
            }

            case 3:
            {
                if (len == 0)
                {
                    return ([0xff], "replace empty update by ff");
                }

                var pos = rng.Next(len);
                var count = Math.Min(len - pos, rng.Next(1, 4));
                return ([.. update[..pos], .. update[(pos + count)..]], $"delete {count} bytes at {pos}");
            }

            case 4:
            {
                var b = (byte[])update.Clone();
                if (len == 0)
                {
                    return ([0x00], "replace empty update by 00");
                }

                var pos = rng.Next(len);
                b[pos] = InterestingBytes[rng.Next(InterestingBytes.Length)];
                return (b, $"set byte {pos} to {b[pos]:x2}");
            }

            case 5:
            {
                // a varint that claims a huge length/clock/count, or never terminates
                byte[] varint = rng.Next(3) switch
                {
                    0 => [0xff, 0xff, 0xff, 0xff, 0x0f],
                    1 => [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
                    _ => [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80],
                };
                var pos = rng.Next(len + 1);
                var replace = rng.Next(2) == 0 ? Math.Min(1, len - pos) : 0;
                return ([.. update[..pos], .. varint, .. update[(pos + replace)..]], $"varint {Convert.ToHexString(varint)} at {pos} (replacing {replace})");
            }

            case 6:
            {
                if (len < 2)
                {
                    return ([.. update, .. update], "doubled");
                }

                var start = rng.Next(len);
                var count = rng.Next(1, Math.Min(len - start, 16) + 1);
                var pos = rng.Next(len + 1);
                var chunk = update[start..(start + count)];
                return ([.. update[..pos], .. chunk, .. update[pos..]], $"copy {count} bytes from {start} to {pos}");
            }

            case 7:
            {
                var cutA = rng.Next(len + 1);
                var cutB = rng.Next(other.Length + 1);
                return ([.. update[..cutA], .. other[cutB..]], $"splice first {cutA} bytes with bytes {cutB}.. of another update");
            }

            default:
            {
                var b = (byte[])update.Clone();
                var n = rng.Next(2, 6);
                for (var i = 0; i < n && len > 0; i++)
                {
                    b[rng.Next(len)] = (byte)rng.Next(256);
                }

                return (b, $"randomise {n} bytes");
            }
        }
    }
}
