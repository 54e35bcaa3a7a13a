using P2PSync.Node.Security;

namespace P2PSync.Node.Tests.Security;

/// <summary>Frames that authenticate (the peer holds the keys) but break the chunking rules.</summary>
public sealed class CraftedFrameTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AnHonestManualPeerIsUnderstood()
    {
        var (initiator, bob) = await ConnectAsync();
        using (initiator)
        await using (bob)
        {
            await initiator.SendFrameAsync([1, .. "hel"u8]);
            await initiator.SendFrameAsync([1]);
            await initiator.SendFrameAsync([0, .. "lo"u8]);
            Assert.Equal("hello"u8.ToArray(), await bob.ReceiveAsync().AsTask().WaitAsync(Timeout));
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public async Task AnUnknownFlagIsRejected(byte flag)
    {
        var (initiator, bob) = await ConnectAsync();
        using (initiator)
        await using (bob)
        {
            await initiator.SendFrameAsync([flag, 1, 2, 3]);
            var ex = await Assert.ThrowsAsync<ProtocolViolationException>(() => bob.ReceiveAsync().AsTask().WaitAsync(Timeout));
            Assert.Contains("flag", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EndOfStreamAfterAnEmptyMoreChunkIsNotACleanClose()
    {
        var (initiator, bob) = await ConnectAsync();
        using (initiator)
        await using (bob)
        {
            await initiator.SendFrameAsync([1]);
            initiator.Stream.CompleteWriting();
            await Assert.ThrowsAsync<ProtocolViolationException>(() => bob.ReceiveAsync().AsTask().WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task EndlessChunksStopAtTheLimit()
    {
        var (initiator, bob) = await ConnectAsync(new SecureChannelOptions { MaxMessageBytes = 10 * SecureChannel.MaxChunkBytes });
        using (initiator)
        await using (bob)
        {
            var chunk = new byte[SecureChannel.MaxChunkBytes + 1];
            chunk[0] = 1;
            var receive = bob.ReceiveAsync().AsTask();
            for (var i = 0; i < 11; i++)
            {
                await initiator.SendFrameAsync(chunk);
            }

            var ex = await Assert.ThrowsAsync<ProtocolViolationException>(() => receive.WaitAsync(Timeout));
            Assert.Contains("larger than the channel limit", ex.Message, StringComparison.Ordinal);
        }
    }

    private static async Task<(ManualInitiator Initiator, SecureChannel Bob)> ConnectAsync(SecureChannelOptions? options = null)
    {
        var alice = SecureChannelTests.Key(1);
        var bob = SecureChannelTests.Key(2);
        var initiator = ManualInitiator.Start(alice, bob, options);
        await initiator.HandshakeAsync();
        return (initiator, await initiator.Responder.WaitAsync(Timeout));
    }
}
