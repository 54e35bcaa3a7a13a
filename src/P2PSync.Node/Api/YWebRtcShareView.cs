namespace P2PSync.Node.Api;

// A JSON shape of the local API (camelCase on the wire); see docs/protocol/y-webrtc.md.
/// <summary>
/// One document shared into a y-webrtc room (POST/GET /api/webrtc-shares): our peer id in the room,
/// whether signalling is sealed with a password, whether the relay's /signal is connected, and the
/// room peers with an open data channel. The password itself is never shown.
/// </summary>
internal sealed record YWebRtcShareView(string DocId, string Room, string PeerId, bool Encrypted, bool SignallingConnected, IReadOnlyList<string> Peers, long RefusedPayloads);
