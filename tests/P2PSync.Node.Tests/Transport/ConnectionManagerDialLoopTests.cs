using P2PSync.Node.Transport;
using P2PSync.Node.Transport.InMemory;

namespace P2PSync.Node.Tests.Transport;

public sealed class ConnectionManagerDialLoopTests
{
    [Fact]
    public async Task Wait_EndsWithFalseWhenTheDelayPasses()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var loop = new ConnectionManagerDialLoop(CancellationToken.None);

        var waiting = loop.WaitAsync(TimeSpan.FromSeconds(30), time, CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(30));

        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Kick_CutsAWaitShort_AndIsConsumedByIt()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var loop = new ConnectionManagerDialLoop(CancellationToken.None);

        var waiting = loop.WaitAsync(TimeSpan.FromHours(1), time, CancellationToken.None);
        loop.Kick();

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        var next = loop.WaitAsync(TimeSpan.FromHours(1), time, loop.Cancel.Token);
        await Task.Delay(50);
        Assert.False(next.IsCompleted);
        loop.Cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task AKickWhileBusy_IsRemembered_UnlessCleared()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var remembered = new ConnectionManagerDialLoop(CancellationToken.None);
        var cleared = new ConnectionManagerDialLoop(CancellationToken.None);

        remembered.Kick();
        cleared.Kick();
        cleared.ClearKick();

        Assert.True(await remembered.WaitAsync(TimeSpan.FromHours(1), time, CancellationToken.None));
        var stillWaiting = cleared.WaitAsync(TimeSpan.FromHours(1), time, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(stillWaiting.IsCompleted);
        time.Advance(TimeSpan.FromHours(1));
        Assert.False(await stillWaiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task StoppingTheParent_StopsTheWait()
    {
        using var parent = new CancellationTokenSource();
        var loop = new ConnectionManagerDialLoop(parent.Token);
        var waiting = loop.WaitAsync(TimeSpan.FromHours(1), TimeProvider.System, loop.Cancel.Token);

        await parent.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
