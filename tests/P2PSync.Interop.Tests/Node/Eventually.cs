namespace P2PSync.Interop.Tests.Node;

/// <summary>Polls a condition until it holds or a deadline passes (convergence over real sockets takes a moment).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan within, Func<Task<string>> describe)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (clock.Elapsed > within)
            {
                Assert.Fail($"not true within {within.TotalSeconds} s: {await describe()}");
            }

            await Task.Delay(50);
        }
    }
}
