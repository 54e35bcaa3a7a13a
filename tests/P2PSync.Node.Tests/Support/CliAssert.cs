namespace P2PSync.Node.Tests.Support;

/// <summary>Checks shared by the CLI tests.</summary>
internal static class CliAssert
{
    /// <summary>A bad input file: exit code 2, nothing on stdout, one stderr line that names the file, no stack trace.</summary>
    public static void BadInput(CliRun run, string file)
    {
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(file, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }
}
