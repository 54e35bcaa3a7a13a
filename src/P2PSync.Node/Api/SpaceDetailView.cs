namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>One space with its members (GET /api/spaces/{id} and every membership change).</summary>
internal sealed record SpaceDetailView(
    string Id, string Name, string? Role, ulong KeyEpoch, int Documents, bool Personal, IReadOnlyList<MemberView> Members);
