using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using P2PSync.Crdt;
using P2PSync.Crdt.Encoding;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Handoff;

/// <summary>
/// This device's own awareness state in a document of its activity, shaped so editor bindings
/// (y-codemirror, y-prosemirror) draw it as a remote cursor:
/// <code>{"user":{"name","color"},"device":{"id","name"},"cursor":{"anchor","head"}|null}</code>
/// with anchor and head as Yjs relative positions in JSON form (<c>relativePositionToJSON</c>).
/// </summary>
internal static class DevicePresence
{
    private const ulong ClientIdFloor = 1UL << 32;

    /// <summary>
    /// The awareness client id of a device: derived from its key, so it is the same after a
    /// restart and on every peer, and above 2^32 (Yjs picks its client ids below 2^32, so it never
    /// collides with an editor) yet at most 2^53 - 1, which JavaScript reads exactly.
    /// </summary>
    public static ulong ClientIdOf(DeviceId device)
    {
        if (device.IsEmpty)
        {
            throw new ArgumentException("an empty device id names no device", nameof(device));
        }

        var hash = SHA256.HashData(device.PublicKey.Span);
        var value = BinaryPrimitives.ReadUInt64LittleEndian(hash);
        return ClientIdFloor + (value % (AwarenessHub.MaxSafeInteger - ClientIdFloor + 1));
    }

    /// <summary>The state JSON for one open document (cursor null when the document has no cursor or it cannot be decoded).</summary>
    public static string StateJson(DeviceId device, string deviceName, ActivityDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var id = device.ToString();
        var name = string.IsNullOrWhiteSpace(deviceName) ? device.ToShortString() : deviceName;
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("user");
            json.WriteString("name", name);
            json.WriteString("color", ColorOf(device));
            json.WriteEndObject();
            json.WriteStartObject("device");
            json.WriteString("id", id);
            json.WriteString("name", name);
            json.WriteEndObject();
            var head = PositionJson(document.Cursor);
            var anchor = PositionJson(document.Anchor) ?? head;
            if (head is null || anchor is null)
            {
                json.WriteNull("cursor");
            }
            else
            {
                json.WriteStartObject("cursor");
                json.WritePropertyName("anchor");
                json.WriteRawValue(anchor);
                json.WritePropertyName("head");
                json.WriteRawValue(head);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The <c>device.id</c> of a state JSON, or null when it has none (an editor's state, malformed JSON).</summary>
    public static string? DeviceIdOf(string stateJson)
    {
        try
        {
            using var parsed = JsonDocument.Parse(stateJson);
            return parsed.RootElement.ValueKind == JsonValueKind.Object
                && parsed.RootElement.TryGetProperty("device", out var device)
                && device.ValueKind == JsonValueKind.Object
                && device.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A stable colour per device, so every peer draws the same device in the same colour.</summary>
    private static string ColorOf(DeviceId device)
    {
        var hash = SHA256.HashData(device.PublicKey.Span);
        // Keep each channel in 0x40..0xBF: readable on light and dark backgrounds.
        return $"#{0x40 + (hash[8] & 0x7F):x2}{0x40 + (hash[9] & 0x7F):x2}{0x40 + (hash[10] & 0x7F):x2}";
    }

    private static string? PositionJson(byte[]? relativePosition)
    {
        if (relativePosition is null)
        {
            return null;
        }

        try
        {
            return Lib0Any.ToJsonString(Y.RelativePositionToJson(Y.DecodeRelativePosition(relativePosition)));
        }
        catch (UpdateFormatException)
        {
            // The activity store checks positions; one that still cannot be read is shown as "no cursor".
            return null;
        }
    }
}
