namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/local-api.md.
/// <summary>A peer: a trusted device (this user's own), or a member of a space shared with this device.</summary>
/// <param name="ConnectMs">The latest connection: connect + handshake, in ms.</param>
/// <param name="CaughtUpMs">The latest connection: ms from connected until everything the peer had was applied here.</param>
/// <param name="DurableMs">The same, until it was also stored durably.</param>
/// <param name="Open">
/// What the peer has open now (its latest Presence, or the documents it publishes its own
/// awareness state in); empty while it is offline. Null from nodes that predate presence.
/// </param>
/// <param name="Trusted">True for the user's own devices (<c>peer add</c>); false for members of shared spaces.</param>
/// <param name="Spaces">For a space member: the names of the spaces it shares with this device. Null for trusted devices.</param>
/// <param name="Path">How changes reach it now: "lan" (direct connection), "webrtc" (a WebRTC data channel set up through the relay's signalling), "relay" (the relay's mailbox), or null.</param>
/// <param name="RttMs">The latest round trip measured on the direct connection (Ping/Pong every 15 s), in ms.</param>
internal sealed record PeerView(
    string DeviceId,
    string? Name,
    IReadOnlyList<string> Addresses,
    bool Connected,
    long? LastSeenMs,
    double? ConnectMs = null,
    double? CaughtUpMs = null,
    double? DurableMs = null,
    IReadOnlyList<PeerActivityDocumentView>? Open = null,
    bool Trusted = true,
    IReadOnlyList<string>? Spaces = null,
    string? Path = null,
    double? RttMs = null);
