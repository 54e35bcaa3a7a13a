using P2PSync.Node.Tests.Storage;

/// <summary>
/// .NET startup hook (DOTNET_STARTUP_HOOKS) that turns a child <c>p2psync</c> process into the
/// appender that <see cref="CrashDurabilityTests"/> kills with SIGKILL. Only that test sets the
/// hook and <see cref="AppendLoopChild.EnvironmentVariable"/>; any other process loading this
/// assembly sees no variable and returns at once. The runtime requires exactly this type name
/// in the global namespace.
/// </summary>
#pragma warning disable CA1050 // The runtime looks the hook up by this global name.
internal static class StartupHook
#pragma warning restore CA1050
{
    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(AppendLoopChild.EnvironmentVariable) is { Length: > 0 } arguments)
        {
            Environment.Exit(AppendLoopChild.Run(arguments));
        }
    }
}
