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

    /// <param name="space">Space id, unique id prefix or unique name; null = the personal space.</param>
    Task<DocView> CreateDocAsync(string name, string? space, CancellationToken cancellationToken);

    Task<DocView> RenameDocAsync(string id, string name, CancellationToken cancellationToken);

    Task<DocDetailView> GetDocAsync(string id, string root, CancellationToken cancellationToken);

    Task<DocDetailView> AppendAsync(string id, string text, string root, CancellationToken cancellationToken);

    Task<IReadOnlyList<PeerView>> ListPeersAsync(CancellationToken cancellationToken);

    Task<PeerView> AddPeerAsync(string deviceId, IReadOnlyList<string> addresses, CancellationToken cancellationToken);

    Task RemovePeerAsync(string deviceId, CancellationToken cancellationToken);

    /// <summary>The relays stored for `up`, first one first (the one `up` uses without --relay).</summary>
    Task<IReadOnlyList<RelayView>> ListRelaysAsync(CancellationToken cancellationToken);

    /// <summary>Stores a relay (a no-op when it is stored already; <c>Added</c> says which).</summary>
    Task<(RelayView Relay, bool Added)> AddRelayAsync(string url, CancellationToken cancellationToken);

    Task RemoveRelayAsync(string url, CancellationToken cancellationToken);

    Task<IReadOnlyList<SpaceView>> ListSpacesAsync(CancellationToken cancellationToken);

    Task<SpaceDetailView> CreateSpaceAsync(string name, CancellationToken cancellationToken);

    /// <param name="space">Space id, unique id prefix (at least 4 hex digits) or unique name, here and below.</param>
    Task<SpaceDetailView> GetSpaceAsync(string space, CancellationToken cancellationToken);

    Task<SpaceDetailView> AddMemberAsync(string space, string device, string role, CancellationToken cancellationToken);

    Task<SpaceDetailView> ChangeRoleAsync(string space, string device, string role, CancellationToken cancellationToken);

    /// <summary>Removes the member and rotates the space key; the answer carries the new key epoch.</summary>
    Task<SpaceDetailView> RemoveMemberAsync(string space, string device, CancellationToken cancellationToken);

    /// <param name="addresses">Where the joiner dials; empty = the running node's listen addresses (refused when no node runs).</param>
    Task<InviteView> CreateInviteAsync(string space, string role, string? expires, IReadOnlyList<string> addresses, bool relayOnly, CancellationToken cancellationToken);

    /// <summary>Redeems an invite code or link with its inviter.</summary>
    /// <param name="relay">A relay to claim the invite from when the inviter is out of reach (null: the running node's relay, or none).</param>
    Task<JoinedView> JoinAsync(string code, Uri? relay, CancellationToken cancellationToken);
}
