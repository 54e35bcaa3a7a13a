using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli.Client;

/// <summary>Picks how a verb reaches the node: its API when <c>up</c> runs for this data directory, else the store.</summary>
internal static class NodeClients
{
    public static async Task<INodeClient> OpenAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        if (ApiEndpointFile.ReadLive(dataDirectory) is { } endpoint)
        {
            var api = new ApiNodeClient(new Uri(endpoint.Url));
            if (await api.IsReachableAsync(cancellationToken).ConfigureAwait(false))
            {
                return api;
            }

            // A stale api.json (pid reused by another program): the store is ours to use.
            await api.DisposeAsync().ConfigureAwait(false);
        }

        return StoreNodeClient.Open(dataDirectory, TimeProvider.System);
    }
}
