using System.Text.Json;

namespace P2PSync.WebRtcBench;

/// <summary>
/// Writes the driver's output lines (replies and events, one JSON object each) to stdout. Peer
/// events come from the connection's threads while a command's reply may be written at the same
/// time, so every line is written whole under one lock.
/// </summary>
internal sealed class EventWriter(Stream output)
{
    private readonly object _gate = new();

    public void Write(Action<Utf8JsonWriter> writeObjectBody)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            writeObjectBody(json);
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        lock (_gate)
        {
            output.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            output.Flush();
        }
    }

    public void Event(string name, Action<Utf8JsonWriter>? fields = null) =>
        Write(json =>
        {
            json.WriteString("event", name);
            fields?.Invoke(json);
        });
}
