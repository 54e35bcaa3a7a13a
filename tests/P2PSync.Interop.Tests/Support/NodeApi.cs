using System.Net.Http.Json;
using P2PSync.Node.Api;

namespace P2PSync.Interop.Tests.Support;

/// <summary>The local API calls the process tests make, on any client pointed at a running node.</summary>
internal static class NodeApi
{
    public static async Task<DocView> CreateDocAsync(this HttpClient http, string name)
    {
        var response = await http.PostAsJsonAsync("api/docs", new CreateDocRequest(name));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<DocView>())!;
    }

    public static async Task AppendAsync(this HttpClient http, string docId, string text)
    {
        var response = await http.PostAsJsonAsync($"api/docs/{docId}/append", new AppendRequest(text, null));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The document as the node shows it, or null while the node does not have it.</summary>
    public static async Task<DocDetailView?> DocAsync(this HttpClient http, string docId)
    {
        var response = await http.GetAsync($"api/docs/{docId}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<DocDetailView>() : null;
    }

    public static async Task<StatusView> StatusAsync(this HttpClient http) => (await http.GetFromJsonAsync<StatusView>("api/status"))!;
}
