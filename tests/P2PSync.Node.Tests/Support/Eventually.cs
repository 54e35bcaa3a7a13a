using System.Diagnostics;

namespace P2PSync.Node.Tests.Support;

/// <summary>Polls a condition that other threads make true (a connection coming up, a packet arriving).</summary>
internal static class Eventually
{
    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> after <paramref name="patience"/>.</summary>
    public static async Task HoldsAsync(Func<bool> condition, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > patience)
            {
                throw new TimeoutException($"condition not met within {patience}");
            }

            await Task.Delay(10);
        }
    }
}
