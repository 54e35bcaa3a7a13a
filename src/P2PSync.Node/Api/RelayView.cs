namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>
/// A stored relay (GET/POST /api/relays): <see cref="InUse"/> when the running node's mailbox
/// connection goes to it (the first stored relay, unless `up --relay` named another for this run).
/// </summary>
internal sealed record RelayView(string Url, long AddedMs, bool InUse);
