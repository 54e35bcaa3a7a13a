using System.Text.Json;

namespace P2PSync.Node.Transport.WebRtc.Signalling;

/// <summary>One parsed frame from the relay; <see cref="Problem"/> says why a malformed one was skipped.</summary>
internal readonly record struct SignalFrame(SignalFrameKind Kind, SignalMessage? Message, string? Problem)
{
    public static SignalFrame Malformed(string problem) => new(SignalFrameKind.Malformed, null, problem);

    public static SignalFrame Publish(string topic, JsonElement data, int? clients) => new(SignalFrameKind.Publish, new SignalMessage(topic, data, clients), null);
}
