using System.Buffers;
using System.Text.Json;

namespace P2PSync.Node.Transport.WebRtc.Signalling;

/// <summary>Writes the frames a client sends on /signal: subscribe, unsubscribe, publish and ping, each one UTF-8 JSON object.</summary>
internal static class SignalFrameWriter
{
    public static byte[] Subscribe(IEnumerable<string> topics) => Topics("subscribe", topics);

    public static byte[] Unsubscribe(IEnumerable<string> topics) => Topics("unsubscribe", topics);

    public static byte[] Ping() => "{\"type\":\"ping\"}"u8.ToArray();

    /// <summary>{"type":"publish","topic":T,"data":D}: the relay forwards it to every subscriber of T, the sender too if subscribed.</summary>
    public static byte[] Publish(string topic, JsonElement data)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "publish");
            writer.WriteString("topic", topic);
            writer.WritePropertyName("data");
            data.WriteTo(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Topics(string type, IEnumerable<string> topics)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteStartArray("topics");
            foreach (var topic in topics)
            {
                writer.WriteStringValue(topic);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
