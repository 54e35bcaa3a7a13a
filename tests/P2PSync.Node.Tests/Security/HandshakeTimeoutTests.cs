using P2PSync.Node.Security;

namespace P2PSync.Node.Tests.Security;

public sealed class HandshakeTimeoutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ASilentPeerFailsTheHandshakeWhenTheTimeoutPasses()
    {
        using var bob = SecureChannelTests.Key(2);
        var clock = new ManualTimeProvider();
        var (silent, right) = ChannelStream.CreatePair();
        var options = new SecureChannelOptions { HandshakeTimeout = TimeSpan.FromSeconds(5), TimeProvider = clock };

        var respond = SecureChannel.RespondAsync(right, bob, options);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(respond.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<ProtocolViolationException>(() => respond.WaitAsync(Timeout));
        Assert.Contains("within 5 s", ex.Message, StringComparison.Ordinal);
        silent.Dispose();
    }

    [Fact]
    public async Task ThePeerStoppingHalfwayThroughAMessageAlsoTimesOut()
    {
        using var bob = SecureChannelTests.Key(2);
        var clock = new ManualTimeProvider();
        var (slow, right) = ChannelStream.CreatePair();
        var options = new SecureChannelOptions { HandshakeTimeout = TimeSpan.FromSeconds(5), TimeProvider = clock };

        var respond = SecureChannel.RespondAsync(right, bob, options);
        await slow.WriteAsync(new byte[] { 0, 32, 1, 2, 3 });
        clock.Advance(TimeSpan.FromSeconds(6));

        await Assert.ThrowsAsync<ProtocolViolationException>(() => respond.WaitAsync(Timeout));
    }

    [Fact]
    public async Task TheCallersOwnCancellationStaysACancellation()
    {
        using var bob = SecureChannelTests.Key(2);
        var (_, right) = ChannelStream.CreatePair();
        using var cancel = new CancellationTokenSource();

        var respond = SecureChannel.RespondAsync(right, bob, cancellationToken: cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => respond.WaitAsync(Timeout));
    }
}
