namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>A space in a list.</summary>
/// <param name="Id">The full space id, 32 lowercase hex digits.</param>
/// <param name="Role">This device's role (owner, editor, viewer), or null when it is no longer a member.</param>
/// <param name="KeyEpoch">The epoch of the space's current content key (it grows with every removal).</param>
internal sealed record SpaceView(string Id, string Name, string? Role, int Members, ulong KeyEpoch, int Documents, bool Personal);
