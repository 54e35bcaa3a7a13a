namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>GET /api/status.</summary>
internal sealed record StatusView(string DeviceId, int? Port, int Pid, IReadOnlyList<PeerView> Peers, IReadOnlyList<DocStatusView> Docs);
