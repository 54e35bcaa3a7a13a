namespace P2PSync.Interop.Tests.Handoff;

/// <summary>What one <c>p2psync</c> CLI process printed and how it exited.</summary>
internal sealed record CliResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>For assertion messages: the command line, exit code and both streams.</summary>
    public override string ToString() => $"`p2psync {Command}` exited {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
