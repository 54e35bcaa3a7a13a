using System.Text.Json;

namespace P2PSync.Node.Transport.WebRtc.Signalling;

/// <summary>
/// Reads one frame the relay sent on /signal (docs/protocol/relay-signal.md). The relay only ever
/// sends <c>{"type":"publish","topic":T,...,"clients":N}</c> and <c>{"type":"pong"}</c>; a publish
/// without <c>data</c> carries JSON null (y-webrtc always sets it, other clients may not). Never
/// throws: whatever a relay (or something posing as one) sends is classified, and the caller skips
/// what is malformed.
/// </summary>
internal static class SignalFrameReader
{
    /// <summary>Deepest JSON nesting read; the relay refuses deeper than 64 too.</summary>
    private const int MaxDepth = 64;

    public static SignalFrame Read(ReadOnlySpan<byte> frame)
    {
        // JsonDocument checks UTF-8 only where it decodes a string, later and with another exception: check it all first.
        if (!System.Text.Unicode.Utf8.IsValid(frame))
        {
            return SignalFrame.Malformed("not UTF-8");
        }

        JsonDocument document;
        try
        {
            // Copied: the data element handed on must outlive the receive buffer.
            document = JsonDocument.Parse(frame.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            return SignalFrame.Malformed($"not JSON: {ex.Message}");
        }

        using (document)
        {
            try
            {
                return Classify(document.RootElement);
            }
            catch (InvalidOperationException ex)
            {
                // A string escape that names half a surrogate pair cannot become a .NET string.
                return SignalFrame.Malformed($"a string that does not decode: {ex.Message}");
            }
        }
    }

    private static SignalFrame Classify(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return SignalFrame.Malformed($"a {root.ValueKind} instead of an object");
        }

        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return SignalFrame.Malformed("no string \"type\"");
        }

        switch (type.GetString())
        {
            case "pong":
                return new SignalFrame(SignalFrameKind.Pong, null, null);
            case "publish":
                break;
            default:
                return new SignalFrame(SignalFrameKind.Other, null, null);
        }

        if (!root.TryGetProperty("topic", out var topic) || topic.ValueKind != JsonValueKind.String || topic.GetString() is not { Length: > 0 } topicName)
        {
            return SignalFrame.Malformed("a publish without a non-empty string \"topic\"");
        }

        int? clients = root.TryGetProperty("clients", out var count) && count.ValueKind == JsonValueKind.Number && count.TryGetInt32(out var n) ? n : null;
        var data = root.TryGetProperty("data", out var value) ? value.Clone() : default;
        return SignalFrame.Publish(topicName, data.ValueKind == JsonValueKind.Undefined ? NullElement() : data, clients);
    }

    private static JsonElement NullElement()
    {
        using var document = JsonDocument.Parse("null"u8.ToArray());
        return document.RootElement.Clone();
    }
}
