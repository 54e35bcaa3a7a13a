using System.Net.Http.Json;
using System.Text.Json;
using P2PSync.Node.Api;
using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli.Client;

/// <summary>
/// Asks the running node which devices it sees nearby. Only a running node knows (discovery lives
/// in its process, nothing is stored), so unlike other verbs there is no fallback to the store.
/// </summary>
internal static class NearbyQuery
{
    /// <exception cref="CommandFailedException">No node runs for the data directory, or its API failed.</exception>
    public static async Task<IReadOnlyList<NearbyView>> FetchAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var endpoint = ApiEndpointFile.ReadLive(dataDirectory) ?? throw NotRunning(dataDirectory);
        await using var api = new ApiNodeClient(new Uri(endpoint.Url));
        if (!await api.IsReachableAsync(cancellationToken).ConfigureAwait(false))
        {
            throw NotRunning(dataDirectory);
        }

        using var http = new HttpClient { BaseAddress = new Uri(endpoint.Url), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var response = await http.GetAsync(new Uri("api/nearby", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new CommandFailedException(ExitCodes.Failure, $"the node's API ({endpoint.Url}) answered {(int)response.StatusCode} {response.ReasonPhrase} to api/nearby");
            }

            return await response.Content.ReadFromJsonAsync<List<NearbyView>>(cancellationToken).ConfigureAwait(false)
                ?? throw new CommandFailedException(ExitCodes.Failure, $"the node's API ({endpoint.Url}) sent an empty answer to api/nearby");
        }
        catch (HttpRequestException ex)
        {
            throw new CommandFailedException(ExitCodes.Failure, $"the node's API ({endpoint.Url}) did not answer: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new CommandFailedException(ExitCodes.Failure, $"the node's API ({endpoint.Url}) sent a malformed answer to api/nearby: {ex.Message}", ex);
        }
    }

    private static CommandFailedException NotRunning(string dataDirectory) =>
        new(ExitCodes.Failure, $"no node is running for {dataDirectory}; nearby devices are found by a running node: start one with `p2psync up`");
}
