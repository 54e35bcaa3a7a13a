namespace P2PSync.Node.Hosting;

/// <summary>
/// What the node reads from its surroundings (environment variables, home directory), passed in
/// rather than read globally so tests can run the CLI in-process with a fake environment.
/// </summary>
internal sealed class NodeEnvironment
{
    private readonly Func<string, string?> _getVariable;

    /// <summary>Creates an environment from a variable lookup and a home directory.</summary>
    public NodeEnvironment(Func<string, string?> getVariable, string homeDirectory)
    {
        _getVariable = getVariable;
        HomeDirectory = homeDirectory;
    }

    /// <summary>The user's home directory.</summary>
    public string HomeDirectory { get; }

    /// <summary>The real process environment.</summary>
    public static NodeEnvironment FromProcess() =>
        new(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The value of an environment variable, or null when it is unset or empty.</summary>
    public string? Get(string name)
    {
        var value = _getVariable(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
