using System.Text.Json;

namespace P2PSync.Node.Transport.WebRtc.Signalling;

/// <summary>
/// One publish the relay forwarded to us: the topic and the sender's <c>data</c> (any JSON value;
/// y-webrtc puts an object there, or a base64 string when its room has a password). The element
/// is a clone that owns its memory, so it stays valid after the frame buffer is reused.
/// </summary>
/// <param name="Clients">The relay's count of receivers of this publish, when it said.</param>
internal sealed record SignalMessage(string Topic, JsonElement Data, int? Clients);
