namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>One handoff as GET /api/handoff lists it.</summary>
/// <param name="Direction">"in" (we resume) or "out" (ours is taken).</param>
/// <param name="Kind">"offer" (push) or "pull".</param>
/// <param name="State">offered, requested, transferring, ready, handed-off, declined, expired or failed.</param>
internal sealed record HandoffView(
    string Id,
    string Direction,
    string Kind,
    string Peer,
    string State,
    long BytesDone,
    long BytesTotal,
    string? Reason,
    long CreatedMs,
    long UpdatedMs);
