namespace P2PSync.Interop.Tests.Mdns;

/// <summary>
/// Deletes namespaces an earlier run of this harness (or bench/mdns) left behind when it crashed:
/// only names of our pattern whose creating process no longer exists, so a live run elsewhere on
/// the machine keeps its namespaces. Processes still inside them are killed first (a namespace
/// lives on while any process is in it).
/// </summary>
internal static class StaleNamespaceSweeper
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Returns the names it deleted.</summary>
    public static async Task<IReadOnlyList<string>> SweepAsync()
    {
        var listing = await CommandRunner.CheckedAsync("ip", ["netns", "list"], CommandTimeout);
        var deleted = new List<string>();
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (NamespaceName.TryParse(line, out var name) && !IsAlive(name!.OwnerPid))
            {
                await DeleteAsync(name.ToString());
                deleted.Add(name.ToString());
            }
        }

        return deleted;
    }

    /// <summary>Kills every process inside <paramref name="name"/>, then deletes it. Errors are ignored: this is cleanup.</summary>
    public static async Task DeleteAsync(string name)
    {
        var pids = await CommandRunner.RunAsync("ip", ["netns", "pids", name], CommandTimeout);
        var list = pids.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Length > 0)
        {
            await CommandRunner.RunAsync("kill", new[] { "-KILL" }.Concat(list), CommandTimeout);
        }

        await CommandRunner.RunAsync("ip", ["netns", "del", name], CommandTimeout);
    }

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");
}
