namespace P2PSync.Interop.Tests.Mdns;

/// <summary>What an external command (ip, avahi-browse, ...) left behind when it ended.</summary>
internal sealed record CommandResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    public string Describe() => $"`{Command}` exited {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
