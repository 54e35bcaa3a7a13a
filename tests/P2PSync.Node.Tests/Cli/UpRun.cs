using P2PSync.Node.Cli;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Tests.Cli;

/// <summary>
/// Runs <c>p2psync up</c> in-process until it has printed its banner (the "api" line), then
/// cancels it as Ctrl-C would and returns what it printed and its exit code.
/// </summary>
internal static class UpRun
{
    public static async Task<(int ExitCode, string Output, string Error)> UntilUpThenStopAsync(NodeEnvironment environment, params string[] args)
    {
        var output = new StringWriter();
        var syncOutput = TextWriter.Synchronized(output);
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        // --no-mdns: a test must never multicast on the host's network (mDNS tests make their own namespaces).
        var run = CliApplication.RunAsync([.. args, "--no-mdns"], environment, syncOutput, TextWriter.Synchronized(error), stop.Token);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!run.IsCompleted && !Read(syncOutput, output).Contains("\napi ", StringComparison.Ordinal))
        {
            await Task.Delay(20, timeout.Token);
        }

        await stop.CancelAsync();
        var exitCode = await run.WaitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, Read(syncOutput, output), error.ToString());
    }

    private static string Read(TextWriter gate, StringWriter inner)
    {
        // TextWriter.Synchronized locks on the wrapper for every write; take the same lock to read.
        lock (gate)
        {
            return inner.ToString();
        }
    }
}
