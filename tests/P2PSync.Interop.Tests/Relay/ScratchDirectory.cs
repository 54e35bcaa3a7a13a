namespace P2PSync.Interop.Tests.Relay;

/// <summary>A fresh folder under the temp directory for one test's relay and node data; removed (best effort) on dispose.</summary>
internal sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory(string prefix)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
    }

    public string Path { get; }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or DirectoryNotFoundException)
        {
            // A process may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
