using P2PSync.Relay.Signalling;

namespace P2PSync.Relay.Tests.Signalling;

public sealed class SignalMessageBudgetTests
{
    [Fact]
    public void AllowsTheBurst_ThenRefusesUntilTimeRefills()
    {
        var time = new ManualTimeProvider();
        var budget = new SignalMessageBudget(time, perSecond: 10, burst: 5);

        for (var i = 0; i < 5; i++)
        {
            Assert.True(budget.TryTake());
        }

        Assert.False(budget.TryTake());
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(budget.TryTake());
        Assert.False(budget.TryTake());
    }

    [Fact]
    public void RefillNeverExceedsTheBurst()
    {
        var time = new ManualTimeProvider();
        var budget = new SignalMessageBudget(time, perSecond: 10, burst: 3);

        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => budget.TryTake()));
    }
}
