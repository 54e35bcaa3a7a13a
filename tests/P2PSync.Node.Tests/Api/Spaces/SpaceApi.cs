using System.Net;
using System.Net.Http.Json;
using P2PSync.Node.Api;

namespace P2PSync.Node.Tests.Api.Spaces;

/// <summary>The space calls the API tests make, each checking the status it expects and returning the parsed answer.</summary>
internal static class SpaceApi
{
    public static async Task<SpaceDetailView> NewSpaceAsync(this TestNode node, string name)
    {
        var response = await node.Http.PostAsJsonAsync("api/spaces", new CreateSpaceRequest(name));
        return await ExpectAsync<SpaceDetailView>(response, HttpStatusCode.Created);
    }

    public static async Task<DocView> NewDocAsync(this TestNode node, string name, string? space)
    {
        var response = await node.Http.PostAsJsonAsync("api/docs", new CreateDocRequest(name, space));
        return await ExpectAsync<DocView>(response, HttpStatusCode.Created);
    }

    /// <summary>Makes a fresh device key known to the node as a trusted device; returns its id.</summary>
    public static string TrustNewDevice(this TestNode node)
    {
        using var key = P2PSync.Node.Identity.DeviceKey.Generate();
        node.Host.Peers.Add(key.Id.ToString(), []);
        return key.Id.ToString();
    }

    public static async Task<T> ExpectAsync<T>(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, ApiJson.Options)!;
    }

    /// <summary>Checks a refusal: the status and a JSON error whose message contains <paramref name="fragment"/>.</summary>
    public static async Task ExpectErrorAsync(HttpResponseMessage response, HttpStatusCode expected, string fragment)
    {
        var error = await ExpectAsync<ErrorView>(response, expected);
        Assert.Contains(fragment, error.Error, StringComparison.OrdinalIgnoreCase);
    }
}
