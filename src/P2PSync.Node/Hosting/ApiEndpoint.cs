using System.Text.Json.Serialization;

namespace P2PSync.Node.Hosting;

/// <summary>The content of api.json: the running node's API base URL and process id.</summary>
internal sealed record ApiEndpoint(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("pid")] int Pid);
