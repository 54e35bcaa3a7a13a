using System.Net;
using System.Net.Http.Json;
using P2PSync.Node.Api;

namespace P2PSync.Interop.Tests.Spaces;

/// <summary>The local API calls of spaces the process tests make, on a client pointed at a running node.</summary>
internal static class SpaceApi
{
    /// <summary>GET /api/spaces/{id}, or null while this node does not hold the space.</summary>
    public static async Task<SpaceDetailView?> SpaceAsync(this HttpClient http, string spaceId)
    {
        using var response = await http.GetAsync($"api/spaces/{spaceId}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<SpaceDetailView>(response);
    }

    /// <summary>GET /api/spaces.</summary>
    public static async Task<IReadOnlyList<SpaceView>> SpacesAsync(this HttpClient http)
    {
        using var response = await http.GetAsync("api/spaces");
        return await ReadAsync<List<SpaceView>>(response);
    }

    /// <summary>POST /api/spaces {name}: a new space; returns its id.</summary>
    public static async Task<string> CreateSpaceAsync(this HttpClient http, string name)
    {
        using var response = await http.PostAsJsonAsync("api/spaces", new CreateSpaceRequest(name));
        return (await ReadAsync<SpaceDetailView>(response)).Id;
    }

    /// <summary>POST /api/docs {name, space}: a document in a shared space.</summary>
    public static async Task<DocView> CreateDocInAsync(this HttpClient http, string name, string spaceId)
    {
        using var response = await http.PostAsJsonAsync("api/docs", new CreateDocRequest(name, spaceId));
        return await ReadAsync<DocView>(response);
    }

    /// <summary>POST /api/docs/{id}/append, whatever the answer (a viewer's is refused).</summary>
    public static async Task<(HttpStatusCode Status, string Body)> TryAppendAsync(this HttpClient http, string docId, string text)
    {
        using var response = await http.PostAsJsonAsync($"api/docs/{docId}/append", new AppendRequest(text, null));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException($"empty answer from {response.RequestMessage?.RequestUri}");
    }
}
