using System.Text.Json;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// Reads one output line of a peer driver (docs/dev/webrtc-harness.md). Strict on purpose: a line
/// of the wrong shape means the driver and this harness disagree, and a test should say so plainly
/// instead of timing out waiting for an event that was misread. Anything wrong throws
/// <see cref="ControlProtocolException"/> and nothing else.
/// </summary>
internal static class ControlLineParser
{
    public static ControlLine Parse(string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw Bad(line, $"not JSON ({e.Message})");
        }
        catch (ArgumentException)
        {
            // A lone surrogate cannot be transcoded to the UTF-8 the JSON reader works on.
            throw Bad(line, "not valid UTF-16 text");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Bad(line, "not a JSON object");
            }

            var isReply = root.TryGetProperty("reply", out var reply);
            var isEvent = root.TryGetProperty("event", out var kind);
            return (isReply, isEvent) switch
            {
                (true, false) => ReadReply(line, root, reply),
                (false, true) when kind.ValueKind == JsonValueKind.String => ReadEvent(line, root, kind.GetString()!),
                (false, true) => throw Bad(line, "\"event\" is not a string"),
                _ => throw Bad(line, "needs exactly one of \"reply\" and \"event\""),
            };
        }
    }

    private static PeerReply ReadReply(string line, JsonElement root, JsonElement id)
    {
        int? replyTo = id.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Number when id.TryGetInt32(out var n) => n,
            _ => throw Bad(line, "\"reply\" is neither an integer id nor null"),
        };
        var ok = Bool(line, root, "ok");
        if (ok)
        {
            if (!root.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object)
            {
                throw Bad(line, "a successful reply needs a \"result\" object");
            }

            return new PeerReply(replyTo, true, result.Clone(), null);
        }

        return new PeerReply(replyTo, false, default, String(line, root, "error"));
    }

    private static PeerEvent ReadEvent(string line, JsonElement root, string kind) => kind switch
    {
        "ready" => new ReadyEvent(String(line, root, "driver"), String(line, root, "version")),
        "localDescription" => new LocalDescriptionEvent(Description(line, root)),
        "localCandidate" => new LocalCandidateEvent(Candidate(line, root)),
        "channelOpen" => new ChannelOpenEvent(
            String(line, root, "label"),
            OptionalInt(line, root, "id"),
            Bool(line, root, "ordered"),
            OptionalInt(line, root, "maxRetransmits"),
            String(line, root, "protocol")),
        "channelMessage" => Message(line, root),
        "channelClose" => new ChannelCloseEvent(String(line, root, "label")),
        "connectionState" => new ConnectionStateEvent(String(line, root, "state")),
        "error" => new DriverErrorEvent(String(line, root, "message")),
        _ => throw Bad(line, $"unknown event \"{kind}\""),
    };

    private static SessionDescriptionText Description(string line, JsonElement root)
    {
        var type = String(line, root, "type");
        if (type is not ("offer" or "answer"))
        {
            throw Bad(line, $"description type \"{type}\" is neither offer nor answer");
        }

        return new SessionDescriptionText(type, String(line, root, "sdp"));
    }

    /// <summary>Reads a reply's result as an offer or answer (createOffer, createAnswer, getLocalDescription).</summary>
    public static SessionDescriptionText DescriptionResult(JsonElement result) =>
        Description(result.GetRawText(), result);

    private static IceCandidateInit? Candidate(string line, JsonElement root)
    {
        if (!root.TryGetProperty("candidate", out var c))
        {
            throw Bad(line, "missing \"candidate\"");
        }

        if (c.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (c.ValueKind != JsonValueKind.Object)
        {
            throw Bad(line, "\"candidate\" is neither an object nor null");
        }

        return new IceCandidateInit(
            String(line, c, "candidate"),
            OptionalString(line, c, "sdpMid"),
            OptionalInt(line, c, "sdpMLineIndex"),
            OptionalString(line, c, "usernameFragment"));
    }

    private static ChannelMessageEvent Message(string line, JsonElement root)
    {
        var label = String(line, root, "label");
        var hasText = root.TryGetProperty("text", out var text);
        var hasBinary = root.TryGetProperty("binary", out var binary);
        if (hasText == hasBinary)
        {
            throw Bad(line, "a message needs exactly one of \"text\" and \"binary\"");
        }

        if (hasText)
        {
            return text.ValueKind == JsonValueKind.String
                ? new ChannelMessageEvent(label, text.GetString(), null)
                : throw Bad(line, "\"text\" is not a string");
        }

        if (binary.ValueKind != JsonValueKind.String)
        {
            throw Bad(line, "\"binary\" is not a string");
        }

        try
        {
            return new ChannelMessageEvent(label, null, Convert.FromBase64String(binary.GetString()!));
        }
        catch (FormatException)
        {
            throw Bad(line, "\"binary\" is not base64");
        }
    }

    private static string String(string line, JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw Bad(line, $"\"{name}\" missing or not a string");

    private static string? OptionalString(string line, JsonElement obj, string name) =>
        !obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : throw Bad(line, $"\"{name}\" is not a string");

    private static int? OptionalInt(string line, JsonElement obj, string name) =>
        !obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n
        : throw Bad(line, $"\"{name}\" is not an integer");

    private static bool Bool(string line, JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? v.GetBoolean()
            : throw Bad(line, $"\"{name}\" missing or not true/false");

    private static ControlProtocolException Bad(string line, string why)
    {
        // Messages can be 350 KB of base64; the start of the line is enough to recognise it.
        var shown = line.Length > 200 ? line[..200] + $"... ({line.Length} chars)" : line;
        return new ControlProtocolException($"bad driver line: {why}: {shown}");
    }
}
