namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/y-webrtc.md.
/// <summary>POST /api/webrtc-shares: share <see cref="DocId"/> into room <see cref="Room"/>, sealed with <see cref="Password"/> when given.</summary>
internal sealed record YWebRtcShareRequest(string? DocId, string? Room, string? Password);
