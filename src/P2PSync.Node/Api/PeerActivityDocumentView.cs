namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>A document a device has open, as its Presence names it.</summary>
internal sealed record PeerActivityDocumentView(string Id, string Name);
