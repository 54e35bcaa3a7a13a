namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>The space an invite made this device a member of.</summary>
/// <param name="Inviter">The inviter's device id.</param>
/// <param name="InviterName">The name the inviter's device gave itself (empty when it gave none).</param>
internal sealed record JoinedView(string SpaceId, string Name, string Role, string Inviter, string InviterName);
