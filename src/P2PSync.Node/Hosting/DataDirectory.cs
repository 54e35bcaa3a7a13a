namespace P2PSync.Node.Hosting;

/// <summary>Decides where a node keeps its files.</summary>
internal static class DataDirectory
{
    /// <summary>The environment variable that overrides the data directory.</summary>
    public const string HomeVariable = "P2PSYNC_HOME";

    /// <summary>
    /// The first of: the explicit <c>--data</c> value, <c>$P2PSYNC_HOME</c>,
    /// <c>$XDG_DATA_HOME/p2psync</c>, <c>~/.local/share/p2psync</c>; as a full path.
    /// </summary>
    public static string Resolve(string? explicitPath, NodeEnvironment environment)
    {
        var chosen = explicitPath
            ?? environment.Get(HomeVariable)
            ?? (environment.Get("XDG_DATA_HOME") is { } xdg
                ? Path.Combine(xdg, "p2psync")
                : Path.Combine(environment.HomeDirectory, ".local", "share", "p2psync"));
        return Path.GetFullPath(chosen);
    }
}
