using System.Text.Json;

namespace P2PSync.Relay.Signalling;

/// <summary>
/// Reads one /signal message, a JSON text frame (y-webrtc's signalling protocol):
/// <code>
/// {"type":"subscribe",   "topics":["room-a","room-b"]}   join topics (non-string entries are skipped)
/// {"type":"unsubscribe", "topics":["room-a"]}            leave topics
/// {"type":"publish",     "topic":"room-a", ...any}       forward the whole object to the topic
/// {"type":"ping"}                                        answered with {"type":"pong"}
/// </code>
/// A missing "topics" means no topics, as in the reference server. Anything else is
/// <see cref="SignalRequestKind.Ignored"/> with its reason; this parser never throws.
/// </summary>
internal static class SignalRequestParser
{
    public static SignalRequest Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return SignalRequest.Ignored(SignalIgnoreReason.NotAnObject);
        }

        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() is not { Length: > 0 } typeName)
        {
            return SignalRequest.Ignored(SignalIgnoreReason.MissingType);
        }

        return typeName switch
        {
            "subscribe" => WithTopics(SignalRequestKind.Subscribe, root),
            "unsubscribe" => WithTopics(SignalRequestKind.Unsubscribe, root),
            "publish" => Publish(root),
            "ping" => new SignalRequest(SignalRequestKind.Ping, [], null, root, SignalIgnoreReason.None),
            _ => SignalRequest.Ignored(SignalIgnoreReason.UnknownType),
        };
    }

    private static SignalRequest WithTopics(SignalRequestKind kind, JsonElement root)
    {
        // The reference server reads `message.topics || []`: absent, null, false, 0 and "" mean none.
        if (!root.TryGetProperty("topics", out var topics) || IsFalsy(topics))
        {
            return new SignalRequest(kind, [], null, root, SignalIgnoreReason.None);
        }

        if (topics.ValueKind != JsonValueKind.Array)
        {
            return SignalRequest.Ignored(SignalIgnoreReason.TopicsNotAnArray);
        }

        var names = new List<string>(topics.GetArrayLength());
        foreach (var entry in topics.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.String)
            {
                names.Add(entry.GetString()!);
            }
        }

        return new SignalRequest(kind, names, null, root, SignalIgnoreReason.None);
    }

    private static SignalRequest Publish(JsonElement root)
    {
        // Topics are only ever strings (subscribe skips others), so a non-string topic reaches nobody.
        if (!root.TryGetProperty("topic", out var topic) || topic.ValueKind != JsonValueKind.String || topic.GetString() is not { Length: > 0 } name)
        {
            return SignalRequest.Ignored(SignalIgnoreReason.MissingTopic);
        }

        return new SignalRequest(SignalRequestKind.Publish, [], name, root, SignalIgnoreReason.None);
    }

    private static bool IsFalsy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False => true,
        JsonValueKind.String => value.GetString()!.Length == 0,
        JsonValueKind.Number => value.TryGetDouble(out var number) && number == 0,
        _ => false,
    };
}
