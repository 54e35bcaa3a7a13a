namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>What a connected device advertises it is doing (its latest Presence).</summary>
internal sealed record PeerActivityView(
    string DeviceId,
    string? Name,
    IReadOnlyList<PeerActivityDocumentView> Documents,
    long Version,
    string? HandedOffTo);
