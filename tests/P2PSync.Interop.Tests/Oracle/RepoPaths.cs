namespace P2PSync.Interop.Tests.Oracle;

/// <summary>
/// Locates files of the repository from the test binary, which may live in bin/ or in
/// any --artifacts-path folder; so we walk up from the source file's directory recorded
/// at compile time, and fall back to walking up from the binary.
/// </summary>
internal static class RepoPaths
{
    private const string Marker = "CloudSaves.P2P.sln";

    public static string Root { get; } = FindRoot();

    public static string Oracle => Path.Combine(Root, "tests", "oracle");

    public static string Golden => Path.Combine(Root, "tests", "P2PSync.Interop.Tests", "Golden");

    private static string FindRoot()
    {
        foreach (var start in new[] { SourceDirectory(), AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, Marker)))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"Cannot find the repository root ({Marker}) above {AppContext.BaseDirectory}.");
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetDirectoryName(path) ?? ".";
}
