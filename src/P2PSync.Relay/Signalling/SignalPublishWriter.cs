using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace P2PSync.Relay.Signalling;

/// <summary>
/// Builds the frame a publish is forwarded as: the sender's object with every field kept in order
/// and "clients" set to the number of receivers (replaced in place when the sender sent one,
/// appended otherwise), which is what y-webrtc's server produces with
/// <c>message.clients = receivers.size; JSON.stringify(message)</c>. Written once per publish and
/// shared by every receiver. The common case (no "clients" from the sender) copies the sender's
/// bytes and splices <c>,"clients":N</c> in before the closing brace; only a message that already
/// has "clients" is re-written field by field.
/// </summary>
internal static class SignalPublishWriter
{
    private const string ClientsField = "clients";

    // Minimal escaping, like JSON.stringify: the frame is JSON for a WebSocket peer, never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(ReadOnlySpan<byte> original, JsonElement message, int clients)
    {
        if (message.TryGetProperty(ClientsField, out _))
        {
            return Write(message, clients);
        }

        // The text parsed as this object, so after trailing whitespace its last byte is the closing brace.
        var whitespace = " \t\r\n"u8;
        var body = original.TrimEnd(whitespace);
        var fields = body[..^1].TrimEnd(whitespace);
        var close = fields.Length;
        Span<byte> count = stackalloc byte[16];
        System.Buffers.Text.Utf8Formatter.TryFormat(clients, count, out var digits);
        var hasFields = message.EnumerateObject().MoveNext();
        var frame = new byte[close + (hasFields ? 1 : 0) + "\"clients\":"u8.Length + digits + 1];
        fields.CopyTo(frame);
        var at = close;
        if (hasFields)
        {
            frame[at++] = (byte)',';
        }

        "\"clients\":"u8.CopyTo(frame.AsSpan(at));
        at += "\"clients\":"u8.Length;
        count[..digits].CopyTo(frame.AsSpan(at));
        frame[at + digits] = (byte)'}';
        return frame;
    }

    public static byte[] Write(JsonElement message, int clients)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            var wroteClients = false;
            foreach (var property in message.EnumerateObject())
            {
                if (property.NameEquals(ClientsField))
                {
                    // A repeated key keeps one value, as JSON.parse does.
                    if (!wroteClients)
                    {
                        writer.WriteNumber(ClientsField, clients);
                        wroteClients = true;
                    }

                    continue;
                }

                property.WriteTo(writer);
            }

            if (!wroteClients)
            {
                writer.WriteNumber(ClientsField, clients);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
