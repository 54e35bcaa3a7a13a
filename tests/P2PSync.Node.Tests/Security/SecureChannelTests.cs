using P2PSync.Node.Identity;
using P2PSync.Node.Security;

namespace P2PSync.Node.Tests.Security;

public sealed class SecureChannelTests
{
    // Transport frames from the initiator start after its two handshake frames (msg1, msg3).
    private const int FirstTransportFrame = 2;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task HandshakeAuthenticatesBothDevices()
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var (a, b, _) = await ConnectAsync(alice, bob);
        await using (a)
        await using (b)
        {
            Assert.Equal(bob.Id, a.RemoteDeviceId);
            Assert.Equal(alice.Id, b.RemoteDeviceId);
            Assert.Equal(a.HandshakeHash, b.HandshakeHash);
            Assert.Equal(64, a.HandshakeHash.Length);
        }
    }

    [Fact]
    public async Task EachSessionHasItsOwnKeysEvenBetweenTheSameDevices()
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var (a1, b1, _) = await ConnectAsync(alice, bob);
        var (a2, b2, _) = await ConnectAsync(alice, bob);
        Assert.NotEqual(a1.HandshakeHash, a2.HandshakeHash);
        await a1.DisposeAsync();
        await b1.DisposeAsync();
        await a2.DisposeAsync();
        await b2.DisposeAsync();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(SecureChannel.MaxChunkBytes - 1)]
    [InlineData(SecureChannel.MaxChunkBytes)]
    [InlineData(SecureChannel.MaxChunkBytes + 1)]
    [InlineData(3 * SecureChannel.MaxChunkBytes)]
    public async Task MessagesOfEverySizeArriveWholeInBothDirections(int size)
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var (a, b, _) = await ConnectAsync(alice, bob);
        await using (a)
        await using (b)
        {
            var toBob = RandomBytes(size, seed: size);
            var toAlice = RandomBytes(size, seed: size + 1);
            await a.SendAsync(toBob);
            await b.SendAsync(toAlice);
            Assert.Equal(toBob, await b.ReceiveAsync().AsTask().WaitAsync(Timeout));
            Assert.Equal(toAlice, await a.ReceiveAsync().AsTask().WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task OneMebibyteMessageIsChunkedIntoFramesAndReassembled()
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var (a, b, relay) = await ConnectAsync(alice, bob);
        await using (a)
        await using (b)
        {
            var message = RandomBytes(1024 * 1024, seed: 99);
            var receive = b.ReceiveAsync().AsTask();
            await a.SendAsync(message);
            Assert.Equal(message, await receive.WaitAsync(Timeout));

            var expectedFrames = (message.Length + SecureChannel.MaxChunkBytes - 1) / SecureChannel.MaxChunkBytes;
            var transport = relay.Seen.Skip(FirstTransportFrame).ToList();
            Assert.Equal(expectedFrames, transport.Count);
            Assert.All(transport, frame => Assert.True(frame.Length <= 2 + 65535));
            Assert.Equal(message.Length + (expectedFrames * (2 + 1 + 16)), transport.Sum(f => f.Length));
        }
    }

    [Fact]
    public async Task ManyMessagesKeepTheirOrder()
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var (a, b, _) = await ConnectAsync(alice, bob);
        await using (a)
        await using (b)
        {
            for (var i = 0; i < 500; i++)
            {
                await a.SendAsync(BitConverter.GetBytes(i));
            }

            for (var i = 0; i < 500; i++)
            {
                Assert.Equal(i, BitConverter.ToInt32(await b.ReceiveAsync().AsTask().WaitAsync(Timeout)));
            }
        }
    }

    [Fact]
    public async Task ConcurrentSendersNeverInterleaveChunks()
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var (a, b, _) = await ConnectAsync(alice, bob);
        await using (a)
        await using (b)
        {
            var messages = Enumerable.Range(0, 8).Select(i => RandomBytes(200_000 + i, seed: 1000 + i)).ToArray();
            await Task.WhenAll(messages.Select(m => Task.Run(async () => await a.SendAsync(m))));

            var received = new List<byte[]>();
            for (var i = 0; i < messages.Length; i++)
            {
                received.Add((await b.ReceiveAsync().AsTask().WaitAsync(Timeout))!);
            }

            Assert.Equal(
                messages.Select(Convert.ToHexString).Order(StringComparer.Ordinal),
                received.Select(Convert.ToHexString).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task CleanCloseBetweenMessagesReadsAsNull()
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var (a, b, _) = await ConnectAsync(alice, bob);
        await a.SendAsync(new byte[] { 7 });
        await a.DisposeAsync();
        await using (b)
        {
            Assert.Equal(new byte[] { 7 }, await b.ReceiveAsync().AsTask().WaitAsync(Timeout));
            Assert.Null(await b.ReceiveAsync().AsTask().WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task AnInitiatorRefusesAnUntrustedResponderBeforeRevealingItself()
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var (sender, receiver, relay, _) = FrameRelay.Create((_, frame) => RelayDecision.Pass(frame));
        var options = new SecureChannelOptions { AcceptRemote = id => id == alice.Id };

        var initiate = SecureChannel.InitiateAsync(sender, alice, options);
        var respond = SecureChannel.RespondAsync(receiver, bob);

        var ex = await Assert.ThrowsAsync<ProtocolViolationException>(() => initiate.WaitAsync(Timeout));
        Assert.Contains(bob.Id.ToString(), ex.Message, StringComparison.Ordinal);
        sender.CompleteWriting();
        await Assert.ThrowsAsync<ProtocolViolationException>(() => respond.WaitAsync(Timeout));
        Assert.Single(relay.Seen); // only msg1 left the initiator: its identity (msg3) never did
    }

    [Fact]
    public async Task AResponderRefusesAnUntrustedInitiator()
    {
        using var alice = Key(1);
        using var bob = Key(2);
        using var carol = Key(3);
        var (sender, receiver, _, _) = FrameRelay.Create((_, frame) => RelayDecision.Pass(frame));
        var options = new SecureChannelOptions { AcceptRemote = id => id == carol.Id };

        var initiate = SecureChannel.InitiateAsync(sender, alice);
        var respond = SecureChannel.RespondAsync(receiver, bob, options);

        var ex = await Assert.ThrowsAsync<ProtocolViolationException>(() => respond.WaitAsync(Timeout));
        Assert.Contains("not trusted", ex.Message, StringComparison.Ordinal);
        await using var a = await initiate.WaitAsync(Timeout);
        receiver.CompleteWriting();
        Assert.Null(await a.ReceiveAsync().AsTask().WaitAsync(Timeout));
    }

    [Fact]
    public async Task TamperedFramesAreRejectedAndKillTheChannel()
    {
        var random = new Random(31);
        for (var round = 0; round < 40; round++)
        {
            using var alice = Key(1);
            using var bob = Key(2);
            var flipAt = -1;
            var (a, b, _) = await ConnectAsync(alice, bob, (index, frame) =>
            {
                if (index == FirstTransportFrame)
                {
                    // Any byte after the length header: ciphertext or tag.
                    flipAt = random.Next(2, frame.Length);
                    frame = (byte[])frame.Clone();
                    frame[flipAt] ^= (byte)(1 << random.Next(8));
                }

                return RelayDecision.Pass(frame);
            });
            await using (a)
            await using (b)
            {
                await a.SendAsync(RandomBytes(100, seed: round));
                await a.SendAsync(RandomBytes(100, seed: round + 1));
                await Assert.ThrowsAsync<ProtocolViolationException>(() => b.ReceiveAsync().AsTask().WaitAsync(Timeout));
                var after = await Assert.ThrowsAsync<ProtocolViolationException>(() => b.ReceiveAsync().AsTask().WaitAsync(Timeout));
                Assert.Contains("closed", after.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task AReplayedFrameIsRejected()
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var (a, b, _) = await ConnectAsync(alice, bob, (index, frame) =>
            index == FirstTransportFrame ? new RelayDecision([frame, frame]) : RelayDecision.Pass(frame));
        await using (a)
        await using (b)
        {
            await a.SendAsync("first"u8.ToArray());
            Assert.Equal("first"u8.ToArray(), await b.ReceiveAsync().AsTask().WaitAsync(Timeout));
            await Assert.ThrowsAsync<ProtocolViolationException>(() => b.ReceiveAsync().AsTask().WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task ReorderedFramesAreRejected()
    {
        byte[]? held = null;
        using var alice = Key(1);
        using var bob = Key(2);
        var (a, b, _) = await ConnectAsync(alice, bob, (index, frame) =>
        {
            if (index == FirstTransportFrame)
            {
                held = frame;
                return new RelayDecision([]);
            }

            return index == FirstTransportFrame + 1 ? new RelayDecision([frame, held!]) : RelayDecision.Pass(frame);
        });
        await using (a)
        await using (b)
        {
            await a.SendAsync("one"u8.ToArray());
            await a.SendAsync("two"u8.ToArray());
            await Assert.ThrowsAsync<ProtocolViolationException>(() => b.ReceiveAsync().AsTask().WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task ADroppedFrameIsNoticed()
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var (a, b, _) = await ConnectAsync(alice, bob, (index, frame) =>
            index == FirstTransportFrame ? new RelayDecision([]) : RelayDecision.Pass(frame));
        await using (a)
        await using (b)
        {
            await a.SendAsync("one"u8.ToArray());
            await a.SendAsync("two"u8.ToArray());
            await Assert.ThrowsAsync<ProtocolViolationException>(() => b.ReceiveAsync().AsTask().WaitAsync(Timeout));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    public async Task ATruncatedFrameIsRejected(int keep)
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var (a, b, _) = await ConnectAsync(alice, bob, (index, frame) =>
            index == FirstTransportFrame ? new RelayDecision([frame[..keep]], CloseAfter: true) : RelayDecision.Pass(frame));
        await using (a)
        await using (b)
        {
            await a.SendAsync(RandomBytes(50, seed: 5));
            var ex = await Assert.ThrowsAsync<ProtocolViolationException>(() => b.ReceiveAsync().AsTask().WaitAsync(Timeout));
            Assert.Contains("middle of a frame", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EndOfStreamInsideAChunkedMessageIsRejected()
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var (a, b, _) = await ConnectAsync(alice, bob, (index, frame) =>
            new RelayDecision([frame], CloseAfter: index == FirstTransportFrame));
        await using (a)
        await using (b)
        {
            await a.SendAsync(RandomBytes(3 * SecureChannel.MaxChunkBytes, seed: 6));
            var ex = await Assert.ThrowsAsync<ProtocolViolationException>(() => b.ReceiveAsync().AsTask().WaitAsync(Timeout));
            Assert.Contains("chunked message", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AMessageOverTheReceiversLimitIsRejected()
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var (a, b, _) = await ConnectAsync(alice, bob, bobOptions: new SecureChannelOptions { MaxMessageBytes = 100_000 });
        await using (a)
        await using (b)
        {
            await a.SendAsync(RandomBytes(100_000, seed: 7));
            Assert.Equal(100_000, (await b.ReceiveAsync().AsTask().WaitAsync(Timeout))!.Length);
            await a.SendAsync(RandomBytes(100_001, seed: 8));
            var ex = await Assert.ThrowsAsync<ProtocolViolationException>(() => b.ReceiveAsync().AsTask().WaitAsync(Timeout));
            Assert.Contains("larger than the channel limit", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SendingOverTheLimitFailsWithoutWritingAnything()
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var (a, b, relay) = await ConnectAsync(alice, bob, aliceOptions: new SecureChannelOptions { MaxMessageBytes = 1000 });
        await using (a)
        await using (b)
        {
            await Assert.ThrowsAsync<ProtocolViolationException>(() => a.SendAsync(new byte[1001]).AsTask());
            await a.SendAsync(new byte[1000]);
            Assert.Equal(1000, (await b.ReceiveAsync().AsTask().WaitAsync(Timeout))!.Length);
            Assert.Equal(FirstTransportFrame + 1, relay.Seen.Count);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    public async Task FramesTooShortToHoldAChunkAreRejected(int length)
    {
        using var alice = Key(1);
        using var bob = Key(2);
        var (a, b, _) = await ConnectAsync(alice, bob, (index, frame) =>
            index == FirstTransportFrame ? new RelayDecision([[0, (byte)length, .. new byte[length]]]) : RelayDecision.Pass(frame));
        await using (a)
        await using (b)
        {
            await a.SendAsync("x"u8.ToArray());
            await Assert.ThrowsAsync<ProtocolViolationException>(() => b.ReceiveAsync().AsTask().WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task TamperedHandshakeMessagesFailTheHandshake()
    {
        var random = new Random(41);
        for (var round = 0; round < 30; round++)
        {
            using var alice = Key(1);
            using var bob = Key(2);
            // Initiator's frame 1 is msg3 (its encrypted static key and identity).
            var (sender, receiver, _, _) = FrameRelay.Create((index, frame) =>
            {
                if (index == 1)
                {
                    frame = (byte[])frame.Clone();
                    frame[random.Next(2, frame.Length)] ^= (byte)(1 << random.Next(8));
                }

                return RelayDecision.Pass(frame);
            });
            var initiate = SecureChannel.InitiateAsync(sender, alice);
            var respond = SecureChannel.RespondAsync(receiver, bob);
            await Assert.ThrowsAsync<ProtocolViolationException>(() => respond.WaitAsync(Timeout));
            await (await initiate.WaitAsync(Timeout)).DisposeAsync();
        }
    }

    [Fact]
    public async Task SeededGarbageIntoAResponderOnlyEverGivesProtocolViolation()
    {
        using var bob = Key(2);
        var random = new Random(20261122);
        for (var n = 0; n < 400; n++)
        {
            var garbage = RandomBytes(random.Next(0, 400), seed: random.Next());
            if (garbage.Length >= 2 && random.Next(2) == 0)
            {
                // A plausible first frame: header matching the real length, so parsing goes deeper.
                var length = random.Next(0, garbage.Length - 1);
                garbage[0] = (byte)(length >> 8);
                garbage[1] = (byte)length;
            }

            var ex = await Record.ExceptionAsync(() => SecureChannel.RespondAsync(ChannelStream.ReadingOnly(garbage), bob).WaitAsync(Timeout));
            Assert.IsType<ProtocolViolationException>(ex);
        }
    }

    [Fact]
    public async Task SeededGarbageIntoAnInitiatorOnlyEverGivesProtocolViolation()
    {
        using var alice = Key(1);
        var random = new Random(77);
        for (var n = 0; n < 200; n++)
        {
            var garbage = RandomBytes(random.Next(0, 400), seed: random.Next());
            if (garbage.Length >= 2 && random.Next(2) == 0)
            {
                var length = random.Next(0, garbage.Length - 1);
                garbage[0] = (byte)(length >> 8);
                garbage[1] = (byte)length;
            }

            var ex = await Record.ExceptionAsync(() => SecureChannel.InitiateAsync(ChannelStream.ReadingOnly(garbage), alice).WaitAsync(Timeout));
            Assert.IsType<ProtocolViolationException>(ex);
        }
    }

    [Fact]
    public async Task SeededGarbageAfterAGoodHandshakeOnlyEverGivesProtocolViolation()
    {
        var random = new Random(12345);
        for (var n = 0; n < 60; n++)
        {
            using var alice = Key(1);
            using var bob = Key(2);
            var garbage = RandomBytes(random.Next(0, 300), seed: random.Next());
            var (a, b, _) = await ConnectAsync(alice, bob, (index, frame) =>
                index == FirstTransportFrame ? new RelayDecision([garbage], CloseAfter: true) : RelayDecision.Pass(frame));
            await using (a)
            await using (b)
            {
                await a.SendAsync("trigger"u8.ToArray());
                var ex = await Record.ExceptionAsync(() => b.ReceiveAsync().AsTask().WaitAsync(Timeout));
                if (garbage.Length == 0)
                {
                    Assert.Null(ex); // nothing arrived at all: a clean close
                }
                else
                {
                    Assert.IsType<ProtocolViolationException>(ex);
                }
            }
        }
    }

    private static async Task<(SecureChannel Alice, SecureChannel Bob, FrameRelay AliceToBob)> ConnectAsync(
        DeviceKey alice,
        DeviceKey bob,
        Func<int, byte[], RelayDecision>? aliceToBob = null,
        SecureChannelOptions? aliceOptions = null,
        SecureChannelOptions? bobOptions = null)
    {
        var (sender, receiver, relay, _) = FrameRelay.Create(aliceToBob ?? ((_, frame) => RelayDecision.Pass(frame)));
        var initiate = SecureChannel.InitiateAsync(sender, alice, aliceOptions);
        var respond = SecureChannel.RespondAsync(receiver, bob, bobOptions);
        return (await initiate.WaitAsync(Timeout), await respond.WaitAsync(Timeout), relay);
    }

    internal static DeviceKey Key(int seed) => DeviceKey.FromSeed(RandomBytes(32, seed: seed * 7919));

    internal static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
