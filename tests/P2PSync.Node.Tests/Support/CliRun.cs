using P2PSync.Node.Cli;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Tests.Support;

/// <summary>Runs the p2psync command parser in-process and captures what it prints.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> InvokeAsync(NodeEnvironment environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApplication.RunAsync(args, environment, output, error);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>An environment with no variables set and the given home directory.</summary>
    public static NodeEnvironment EmptyEnvironment(string home) => new(_ => null, home);
}
