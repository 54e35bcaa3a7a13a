namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>The data line of one server-sent event on /api/handoff/events (the event name is the kind).</summary>
internal sealed record HandoffEventView(string Id, string Peer, long BytesDone, long BytesTotal, string? Reason);
