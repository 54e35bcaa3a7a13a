namespace P2PSync.Bench;

/// <summary>Finds the repository root (the folder with CloudSaves.P2P.sln) from the current or binary folder.</summary>
internal static class RepoRoot
{
    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CloudSaves.P2P.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("run the bench from inside the CloudSaves.P2P repository");
    }
}
