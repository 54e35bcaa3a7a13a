using System.Diagnostics;
using System.Text.Json;

namespace P2PSync.Node.Hosting;

/// <summary>
/// <c>api.json</c> in the data directory: how CLI verbs find the running node's API. Written by
/// <c>up</c> once the API listens, removed on clean shutdown. A file left by a killed node is
/// recognised as stale because its pid is gone (or the API does not answer).
/// </summary>
internal static class ApiEndpointFile
{
    public const string FileName = "api.json";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>Writes the file atomically (temp file + rename) so a reader never sees half of it.</summary>
    public static void Write(string dataDirectory, Uri url, int pid)
    {
        var path = PathIn(dataDirectory);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(new ApiEndpoint(url.ToString(), pid)));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The recorded endpoint if the file exists, parses, and its process is alive; else null.</summary>
    public static ApiEndpoint? ReadLive(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        ApiEndpoint? endpoint;
        try
        {
            endpoint = JsonSerializer.Deserialize<ApiEndpoint>(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }

        if (endpoint is null || !Uri.TryCreate(endpoint.Url, UriKind.Absolute, out _) || !IsAlive(endpoint.Pid))
        {
            return null;
        }

        return endpoint;
    }

    /// <summary>Removes the file if it still names <paramref name="pid"/> (a newer node may have replaced it).</summary>
    public static void Remove(string dataDirectory, int pid)
    {
        var path = PathIn(dataDirectory);
        try
        {
            var endpoint = JsonSerializer.Deserialize<ApiEndpoint>(File.ReadAllText(path));
            if (endpoint?.Pid == pid)
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            // Nothing to clean up, or it is not ours to remove.
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
