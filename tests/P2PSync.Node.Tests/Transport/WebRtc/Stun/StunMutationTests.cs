using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Stun;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Stun;

public sealed class StunMutationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(20261122)]
    [InlineData(7983)]
    [InlineData(8489)]
    public void MutatedMessages_OnlyEverThrowOurFormatException(int seed)
    {
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        byte[][] seeds =
        [
            Rfc5769Vectors.Request,
            Rfc5769Vectors.ResponseIPv4,
            Rfc5769Vectors.ResponseIPv6,
            StunCodecTests.ChromiumStyleCheck("some-password-of-22-ch"u8.ToArray()),
        ];
        int parsed = 0;
        int refused = 0;

        for (int round = 0; round < 5000; round++)
        {
            byte[] mutated = Mutate(seeds[random.Next(seeds.Length)], random);
            try
            {
                StunMessage message = StunReader.Read(mutated);
                if (message.MessageIntegrityOffset is { } offset)
                {
                    StunIntegrity.VerifyIntegrity(mutated, offset, "k"u8);
                }

                parsed++;
            }
            catch (WebRtcFormatException ex)
            {
                Assert.Equal(WebRtcLayer.Stun, ex.Layer);
                refused++;
            }
        }

        output.WriteLine($"parsed {parsed}, refused {refused}");
        Assert.True(refused > 1000, $"seed {seed}: only {refused} refused; mutations too weak");
        Assert.True(parsed > 0, $"seed {seed}: nothing parsed; mutations too strong to reach attribute parsing");
    }

    private static byte[] Mutate(byte[] source, Random random)
    {
        byte[] bytes = (byte[])source.Clone();
        switch (random.Next(5))
        {
            case 0:
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length)];
            case 2:
                // Touch an attribute length field (keeps the header valid so attribute parsing runs).
                int at = 20 + (4 * random.Next((bytes.Length - 20) / 4)) + 2;
                bytes[at] = (byte)random.Next(256);
                bytes[at + 1] = (byte)random.Next(256);
                return bytes;
            case 3:
                int start = 20 + random.Next(bytes.Length - 20);
                random.NextBytes(bytes.AsSpan(start, Math.Min(4, bytes.Length - start)));
                return bytes;
            default:
                // Drop the FINGERPRINT so corrupted attribute values get past the checksum.
                byte[] trimmed = bytes[..^8];
                trimmed[2] = (byte)((trimmed.Length - 20) >> 8);
                trimmed[3] = (byte)(trimmed.Length - 20);
                random.NextBytes(trimmed.AsSpan(20 + random.Next(trimmed.Length - 20), 1));
                return trimmed;
        }
    }
}
