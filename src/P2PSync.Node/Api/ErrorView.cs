namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>Any 4xx answer.</summary>
internal sealed record ErrorView(string Error);
