using System.Reflection;

namespace P2PSync.Node.Tests.Support;

/// <summary>Finds files of this repository (traces under bench/, fixtures) from the tests.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Trace(string relative) => Path.Combine(Root, "bench", "traces", relative);

    private static string FindRoot()
    {
        // The project file records its source tree at build time, because builds may put the
        // binaries anywhere (e.g. --artifacts-path outside the repository).
        var recorded = typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, "CloudSaves.P2P.sln")))
        {
            return recorded;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CloudSaves.P2P.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the CloudSaves.P2P repository the tests were built from");
    }
}
