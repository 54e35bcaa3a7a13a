namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>GET /api/handoff: this node's handoffs (both directions) and what connected devices are doing.</summary>
internal sealed record HandoffListView(IReadOnlyList<HandoffView> Handoffs, IReadOnlyList<PeerActivityView> Activities);
