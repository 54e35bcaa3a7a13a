namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>A new invite: the code to pass on, the same as a p2psync://join/ link, and when it stops working.</summary>
internal sealed record InviteView(string Code, string Url, DateTimeOffset ExpiresAt);
