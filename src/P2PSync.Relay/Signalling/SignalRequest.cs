using System.Text.Json;

namespace P2PSync.Relay.Signalling;

/// <summary>
/// One decoded /signal message. <see cref="Message"/> is the whole object (a publish is forwarded
/// with all its fields) and lives only as long as the JsonDocument it was parsed from.
/// </summary>
internal readonly record struct SignalRequest(
    SignalRequestKind Kind,
    IReadOnlyList<string> Topics,
    string? Topic,
    JsonElement Message,
    SignalIgnoreReason IgnoreReason)
{
    public static SignalRequest Ignored(SignalIgnoreReason reason) =>
        new(SignalRequestKind.Ignored, [], null, default, reason);
}
