using System.Diagnostics;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>Runs short external commands to completion, always within a deadline.</summary>
internal static class CommandRunner
{
    /// <summary>Runs <paramref name="file"/> and returns its result, whatever the exit code.</summary>
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var text = $"{file} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new ExternalCommandException($"could not start `{text}`");
        process.StandardInput.Close();
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
            throw new ExternalCommandException($"`{text}` did not finish within {timeout.TotalSeconds} s\n--- stdout ---\n{await stdout}\n--- stderr ---\n{await stderr}");
        }

        return new CommandResult(text, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a command that must succeed; a non-zero exit throws with everything it printed.</summary>
    public static async Task<string> CheckedAsync(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var result = await RunAsync(file, args, timeout);
        if (result.ExitCode != 0)
        {
            throw new ExternalCommandException(result.Describe());
        }

        return result.Stdout;
    }

    /// <summary>The full path of <paramref name="tool"/> on PATH, or null.</summary>
    public static string? Which(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                     .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]))
        {
            var path = Path.Combine(dir, tool);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}
