using System.Diagnostics;
using P2PSync.Interop.Tests.Node;

namespace P2PSync.Interop.Tests.Handoff;

/// <summary>
/// Runs the real <c>p2psync</c> CLI as its own process against a running node's data directory
/// (the verb finds the node through its api.json), as a script or a user would.
/// </summary>
internal static class P2PSyncCli
{
    /// <summary>Longest any verb may take; a hung verb fails the test instead of hanging it.</summary>
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    public static Task<CliResult> RunAsync(NodeProcess node, params string[] args) => RunAsync(node.DataDirectory, DefaultTimeout, args);

    public static async Task<CliResult> RunAsync(string dataDirectory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(NodeProcess.CliDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--data");
        start.ArgumentList.Add(dataDirectory);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"`p2psync {string.Join(' ', args)}` did not finish within {timeout.TotalSeconds} s\n--- stdout ---\n{await stdout}\n--- stderr ---\n{await stderr}");
        }

        return new CliResult(string.Join(' ', args), process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a verb that must succeed; fails the test with everything it printed otherwise.</summary>
    public static async Task<CliResult> SucceedAsync(NodeProcess node, params string[] args)
    {
        var result = await RunAsync(node, args);
        Assert.True(result.Succeeded, $"{result}\n--- node log ---\n{node.Log}");
        return result;
    }
}
