namespace P2PSync.Relay.Tests.Signalling;

/// <summary>
/// Finds tests/oracle (the npm packages and node scripts) from this source file's recorded path,
/// so it works from any --artifacts-path; falls back to walking up from the test binary.
/// </summary>
internal static class OracleScripts
{
    public static string Directory { get; } = Find();

    private static string Find([System.Runtime.CompilerServices.CallerFilePath] string sourcePath = "")
    {
        foreach (var start in new[] { Path.GetDirectoryName(sourcePath) ?? ".", AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CloudSaves.P2P.sln")))
                {
                    return Path.Combine(dir.FullName, "tests", "oracle");
                }
            }
        }

        throw new InvalidOperationException("cannot find the repository root (CloudSaves.P2P.sln) above " + sourcePath);
    }
}
