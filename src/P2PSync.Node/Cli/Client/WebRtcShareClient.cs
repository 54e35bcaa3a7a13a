using System.Net;
using System.Net.Http.Json;
using P2PSync.Node.Api;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli.Client;

/// <summary>/api/webrtc-shares of the running node (`doc share-webrtc`); its errors become one-line CLI failures.</summary>
internal sealed class WebRtcShareClient : IDisposable
{
    private readonly HttpClient _http;

    private WebRtcShareClient(Uri baseUrl)
    {
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <exception cref="CommandFailedException">No node runs for the data directory.</exception>
    public static async Task<WebRtcShareClient> ConnectAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        // RunningNode says clearly when no node runs; the endpoint file then names its API.
        await using (await RunningNode.ConnectAsync(dataDirectory, "sharing into a y-webrtc room", cancellationToken).ConfigureAwait(false))
        {
        }

        var endpoint = ApiEndpointFile.ReadLive(dataDirectory)
            ?? throw new CommandFailedException(ExitCodes.Failure, $"the node for {dataDirectory} stopped while we asked it");
        return new WebRtcShareClient(new Uri(endpoint.Url));
    }

    public async Task<YWebRtcShareView> ShareAsync(string docId, string room, string? password, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => _http.PostAsJsonAsync("api/webrtc-shares", new YWebRtcShareRequest(docId, room, password), cancellationToken)).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<YWebRtcShareView>(cancellationToken).ConfigureAwait(false)
            ?? throw new CommandFailedException(ExitCodes.Failure, "the node sent an empty answer");
    }

    public async Task UnshareAsync(string docId, string room, CancellationToken cancellationToken)
    {
        var path = $"api/webrtc-shares?docId={Uri.EscapeDataString(docId)}&room={Uri.EscapeDataString(room)}";
        using var response = await SendAsync(() => _http.DeleteAsync(path, cancellationToken)).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    private static async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new CommandFailedException(ExitCodes.Failure, $"the node's API did not answer: {ex.Message}", ex);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        ErrorView? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync<ErrorView>(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            // not our error shape: the status code alone
        }

        throw new CommandFailedException(
            response.StatusCode == HttpStatusCode.BadRequest ? ExitCodes.BadInput : ExitCodes.Failure,
            error?.Error ?? $"the node answered {(int)response.StatusCode} {response.ReasonPhrase}");
    }
}
