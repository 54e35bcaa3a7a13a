using System.Net;
using P2PSync.Node.Transport.WebRtc.Stun;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Stun;

public sealed class StunRoundTripTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(5389)]
    [InlineData(8445)]
    public void RandomMessages_RoundTrip_AndTheirIntegrityVerifies(int seed)
    {
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);

        for (int round = 0; round < 2000; round++)
        {
            StunMessage message = RandomMessage(random);
            byte[] key = new byte[random.Next(1, 40)];
            random.NextBytes(key);
            bool signed = random.Next(2) == 0;

            byte[] bytes = StunWriter.Encode(message, signed ? key : [], addFingerprint: true);
            StunMessage back = StunReader.Read(bytes);

            Assert.Equal(0, bytes.Length % 4);
            Assert.Equal(message.Class, back.Class);
            Assert.Equal(message.TransactionId, back.TransactionId);
            Assert.Equal(message.Username, back.Username);
            Assert.Equal(message.Software, back.Software);
            Assert.Equal(message.Priority, back.Priority);
            Assert.Equal(message.IceControlling, back.IceControlling);
            Assert.Equal(message.IceControlled, back.IceControlled);
            Assert.Equal(message.UseCandidate, back.UseCandidate);
            Assert.Equal(message.ErrorCode, back.ErrorCode);
            Assert.Equal(message.UnknownAttributes, back.UnknownAttributes);
            Assert.Equal(message.XorMappedAddress, back.XorMappedAddress);
            Assert.True(back.HasFingerprint);
            Assert.Equal(signed, back.MessageIntegrityOffset is not null);
            if (signed)
            {
                Assert.True(StunIntegrity.VerifyIntegrity(bytes, back.MessageIntegrityOffset!.Value, key), $"round {round}");
            }
        }
    }

    private static StunMessage RandomMessage(Random random)
    {
        var stunClass = (StunClass)random.Next(4);
        return new StunMessage
        {
            Method = StunMethod.Binding,
            Class = stunClass,
            TransactionId = TransactionId.Create(random),
            Username = random.Next(2) == 0 ? RandomText(random, 0, 40) : null,
            Software = random.Next(4) == 0 ? RandomText(random, 0, 30) : null,
            Priority = random.Next(2) == 0 ? (uint)random.NextInt64(0, uint.MaxValue) : null,
            IceControlling = random.Next(3) == 0 ? (ulong)random.NextInt64() : null,
            IceControlled = random.Next(3) == 0 ? (ulong)random.NextInt64() : null,
            UseCandidate = random.Next(2) == 0,
            ErrorCode = stunClass == StunClass.ErrorResponse ? new StunErrorCode(random.Next(300, 700), RandomText(random, 0, 20)) : null,
            UnknownAttributes = stunClass == StunClass.ErrorResponse && random.Next(2) == 0
                ? Enumerable.Range(0, random.Next(1, 5)).Select(_ => (ushort)random.Next(0x8000)).ToList()
                : [],
            XorMappedAddress = random.Next(2) == 0 ? RandomEndPoint(random) : null,
        };
    }

    private static IPEndPoint RandomEndPoint(Random random)
    {
        byte[] address = new byte[random.Next(2) == 0 ? 4 : 16];
        random.NextBytes(address);
        return new IPEndPoint(new IPAddress(address), random.Next(0, 65536));
    }

    /// <summary>Mixed-width UTF-8 (1 to 4 bytes per character) so padding is exercised at every remainder.</summary>
    private static string RandomText(Random random, int min, int max)
    {
        string[] pieces = ["a", "Z", "9", ":", "é", "€", "😀", "/", "+"];
        return string.Concat(Enumerable.Range(0, random.Next(min, max)).Select(_ => pieces[random.Next(pieces.Length)]));
    }
}
