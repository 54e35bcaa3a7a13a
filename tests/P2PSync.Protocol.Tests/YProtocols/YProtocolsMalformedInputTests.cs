using P2PSync.Protocol.YProtocols;
using static P2PSync.Protocol.Tests.YProtocols.YProtocolsGoldenData;

namespace P2PSync.Protocol.Tests.YProtocols;

/// <summary>Bad input of every kind only ever raises <see cref="YProtocolFormatException"/>.</summary>
public sealed class YProtocolsMalformedInputTests
{
    public static TheoryData<string> GoldenNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Hex.Keys.Where(n => n.StartsWith("sync:", StringComparison.Ordinal) || n.StartsWith("ws:", StringComparison.Ordinal) || n.StartsWith("awareness:", StringComparison.Ordinal)))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenNames))]
    public void Every_truncation_is_a_format_error(string name)
    {
        var bytes = Bytes(name);
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes.AsSpan(0, length).ToArray();
            Assert.Throws<YProtocolFormatException>(() => Decode(name, prefix));
        }
    }

    [Theory]
    [MemberData(nameof(GoldenNames))]
    public void Trailing_bytes_are_a_format_error(string name)
    {
        var bytes = Bytes(name).Append((byte)0).ToArray();
        var ex = Assert.Throws<YProtocolFormatException>(() => Decode(name, bytes));
        Assert.Contains("unexpected bytes", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("03", "unknown sync message type 3")]
    [InlineData("7f00", "unknown sync message type 127")]
    [InlineData("00ffffffffffffffff01", "varuint longer than 8 bytes")]
    [InlineData("00ffffffffffffff7f", "exceeds 2^53 - 1")]
    [InlineData("0005010203", "byte array of 5 bytes but only 3 remain")]
    public void Sync_message_errors_say_what_is_wrong(string hex, string expected)
    {
        var ex = Assert.Throws<YProtocolFormatException>(() => SyncMessage.Decode(Convert.FromHexString(hex)));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("04", "unknown y-websocket message type 4")]
    [InlineData("0201", "unknown auth message type 1")]
    [InlineData("020002c328", "not valid UTF-8")]
    [InlineData("01020100", "claims 1 entries")]
    [InlineData("01070101010378797a", "not JSON")]
    [InlineData("0104ffff0301", "claims 65535 entries")]
    public void YWebsocket_errors_say_what_is_wrong(string hex, string expected)
    {
        var ex = Assert.Throws<YProtocolFormatException>(() => YWebsocketMessage.Decode(Convert.FromHexString(hex)));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seeded_mutations_decode_or_raise_only_format_errors()
    {
        var seed = 20261122;
        var random = new Random(seed);
        var names = Hex.Keys.Where(n => !n.StartsWith("doc:", StringComparison.Ordinal)).ToArray();
        var decoded = 0;
        var rejected = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var name = names[random.Next(names.Length)];
            var bytes = Mutate(Bytes(name), random);
            try
            {
                Decode(name, bytes);
                decoded++;
            }
            catch (YProtocolFormatException)
            {
                rejected++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed} iteration {i} ({name}, {Convert.ToHexString(bytes)}): {ex.GetType().Name}: {ex.Message}");
            }
        }

        // Both outcomes must occur, or the mutator is not exercising the decoders.
        Assert.True(decoded > 100, $"only {decoded} mutations decoded");
        Assert.True(rejected > 100, $"only {rejected} mutations were rejected");
    }

    [Fact]
    public void Random_bytes_raise_only_format_errors()
    {
        var random = new Random(7);
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = new byte[random.Next(0, 40)];
            random.NextBytes(bytes);
            foreach (var decode in new Action[]
            {
                () => SyncMessage.Decode(bytes),
                () => YWebsocketMessage.Decode(bytes),
                () => AwarenessUpdate.Decode(bytes),
            })
            {
                try
                {
                    decode();
                }
                catch (YProtocolFormatException)
                {
                }
            }
        }
    }

    internal static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = input.ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            switch (random.Next(4))
            {
                case 0 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveAt(random.Next(bytes.Count));
                    break;
                default:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
            }
        }

        return [.. bytes];
    }

    private static void Decode(string name, byte[] bytes)
    {
        if (name.StartsWith("ws:", StringComparison.Ordinal))
        {
            YWebsocketMessage.Decode(bytes);
        }
        else if (name.StartsWith("awareness:", StringComparison.Ordinal))
        {
            AwarenessUpdate.Decode(bytes);
        }
        else
        {
            SyncMessage.Decode(bytes);
        }
    }
}
