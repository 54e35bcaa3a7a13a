using P2PSync.Node.Hosting;

namespace P2PSync.Node.Tests.Hosting;

public sealed class DataDirectoryTests
{
    private static NodeEnvironment Env(Dictionary<string, string> variables) =>
        new(name => variables.TryGetValue(name, out var value) ? value : null, "/home/alice");

    [Fact]
    public void ExplicitPathWinsOverEverything()
    {
        var env = Env(new() { ["P2PSYNC_HOME"] = "/p2p", ["XDG_DATA_HOME"] = "/xdg" });

        Assert.Equal("/explicit", DataDirectory.Resolve("/explicit", env));
    }

    [Fact]
    public void P2PSyncHomeWinsOverXdg()
    {
        var env = Env(new() { ["P2PSYNC_HOME"] = "/p2p", ["XDG_DATA_HOME"] = "/xdg" });

        Assert.Equal("/p2p", DataDirectory.Resolve(null, env));
    }

    [Fact]
    public void XdgDataHomeGetsP2PSyncSubfolder()
    {
        var env = Env(new() { ["XDG_DATA_HOME"] = "/xdg" });

        Assert.Equal("/xdg/p2psync", DataDirectory.Resolve(null, env));
    }

    [Fact]
    public void FallsBackToLocalShareUnderHome()
    {
        Assert.Equal("/home/alice/.local/share/p2psync", DataDirectory.Resolve(null, Env(new())));
    }

    [Fact]
    public void EmptyVariablesCountAsUnset()
    {
        var env = Env(new() { ["P2PSYNC_HOME"] = "", ["XDG_DATA_HOME"] = "" });

        Assert.Equal("/home/alice/.local/share/p2psync", DataDirectory.Resolve(null, env));
    }

    [Fact]
    public void RelativePathBecomesFull()
    {
        var resolved = DataDirectory.Resolve("rel/dir", Env(new()));

        Assert.True(Path.IsPathFullyQualified(resolved));
        Assert.EndsWith("rel/dir", resolved, StringComparison.Ordinal);
    }
}
