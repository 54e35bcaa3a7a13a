using P2PSync.Node.Api;

namespace P2PSync.Node.Cli.Client;

/// <summary>
/// What the document and peer verbs need from a node. Two implementations: through the running
/// node's local API (so the live node sees the change at once and relays it), or directly on the
/// store when no node runs. Failures are <see cref="CommandFailedException"/> with a clear message.
/// </summary>
internal interface INodeClient : IAsyncDisposable
{
    /// <summary>"api URL" or "store PATH", for messages.</summary>
    string Description { get; }

    Task<StatusView> StatusAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<DocView>> ListDocsAsync(CancellationToken cancellationToken);

    Task<DocView> CreateDocAsync(string name, CancellationToken cancellationToken);

    Task<DocView> RenameDocAsync(string id, string name, CancellationToken cancellationToken);

    Task<DocDetailView> GetDocAsync(string id, string root, CancellationToken cancellationToken);

    Task<DocDetailView> AppendAsync(string id, string text, string root, CancellationToken cancellationToken);

    Task<IReadOnlyList<PeerView>> ListPeersAsync(CancellationToken cancellationToken);

    Task<PeerView> AddPeerAsync(string deviceId, IReadOnlyList<string> addresses, CancellationToken cancellationToken);

    Task RemovePeerAsync(string deviceId, CancellationToken cancellationToken);
}
