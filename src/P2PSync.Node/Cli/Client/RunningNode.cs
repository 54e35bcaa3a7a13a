using P2PSync.Node.Hosting;

namespace P2PSync.Node.Cli.Client;

/// <summary>
/// Reaches the node running for a data directory through its local API. For verbs that only a
/// running node can serve (activity, handoff: they live in its memory and need its connections),
/// so unlike <see cref="NodeClients"/> there is no fallback to the store.
/// </summary>
internal static class RunningNode
{
    /// <param name="feature">What needs the node, for the message ("handoff").</param>
    /// <exception cref="CommandFailedException">No node runs for the data directory (or it does not answer).</exception>
    public static async Task<ApiNodeClient> ConnectAsync(string dataDirectory, string feature, CancellationToken cancellationToken)
    {
        if (ApiEndpointFile.ReadLive(dataDirectory) is { } endpoint)
        {
            var api = new ApiNodeClient(new Uri(endpoint.Url));
            if (await api.IsReachableAsync(cancellationToken).ConfigureAwait(false))
            {
                return api;
            }

            await api.DisposeAsync().ConfigureAwait(false);
        }

        throw new CommandFailedException(ExitCodes.Failure, $"no node is running for {dataDirectory}; {feature} needs a running node: start one with `p2psync up`");
    }
}
