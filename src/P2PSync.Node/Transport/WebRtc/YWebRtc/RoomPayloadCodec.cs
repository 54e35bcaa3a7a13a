using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>
/// The <c>data</c> of a y-webrtc signalling publish, both ways. Without a password it is the JSON
/// object itself; with one it is a JSON string: base64 of the sealed frame (<see cref="RoomKey"/>)
/// around the lib0 "any" encoding (<see cref="Lib0JsonAny"/>) of that same object.
/// <code>
/// announce: {"type":"announce","from":PEER}
/// signal:   {"to":PEER,"from":PEER,"type":"signal","token":NUMBER,"signal":SIGNAL}
/// SIGNAL:   {"type":"offer"|"answer","sdp":TEXT}
///         | {"type":"candidate","candidate":{"candidate":TEXT,"sdpMLineIndex":N,"sdpMid":TEXT}}
///         | {"type":"renegotiate","renegotiate":true} | {"type":"transceiverRequest",...}
/// </code>
/// Members are written in y-webrtc's order, so a sealed payload is byte-identical to what
/// y-webrtc seals for the same object and IV.
/// </summary>
internal static class RoomPayloadCodec
{
    /// <summary>Largest payload text accepted (an SDP is a few KB; the relay caps frames too).</summary>
    public const int MaxPayloadChars = 256 * 1024;

    public static JsonObject ToJson(RoomMessage message) => message switch
    {
        AnnounceMessage announce => new JsonObject { ["type"] = "announce", ["from"] = announce.From },
        PeerSignalMessage signal => new JsonObject
        {
            ["to"] = signal.To,
            ["from"] = signal.From,
            ["type"] = "signal",
            ["token"] = signal.Token is { } token ? JsonValue.Create(token) : null,
            ["signal"] = SignalToJson(signal.Signal),
        },
        _ => throw new ArgumentException($"not a y-webrtc room message: {message.GetType().Name}", nameof(message)),
    };

    /// <summary>The publish <c>data</c>: the object, or the sealed base64 string when the room has a key.</summary>
    public static JsonNode Encode(RoomMessage message, RoomKey? key)
    {
        var json = ToJson(message);
        return key is null ? json : JsonValue.Create(Convert.ToBase64String(key.Seal(Lib0JsonAny.Encode(json))));
    }

    /// <summary>Same with a pinned IV (golden tests only).</summary>
    public static string EncodeSealed(RoomMessage message, RoomKey key, ReadOnlySpan<byte> iv) =>
        Convert.ToBase64String(key.Seal(Lib0JsonAny.Encode(ToJson(message)), iv));

    /// <summary>Reads a publish <c>data</c> element of a room with (or without) a key.</summary>
    /// <exception cref="YWebRtcFormatException">Not a y-webrtc payload for this room, or not decryptable with its key.</exception>
    public static RoomMessage Decode(JsonElement data, RoomKey? key)
    {
        if (key is null)
        {
            if (data.ValueKind != JsonValueKind.Object)
            {
                throw new YWebRtcFormatException(YWebRtcFormatProblem.Malformed, $"a room without a password carries JSON objects, not {data.ValueKind}");
            }

            if (data.GetRawText().Length > MaxPayloadChars)
            {
                throw new YWebRtcFormatException(YWebRtcFormatProblem.TooLarge, $"payload over {MaxPayloadChars} characters");
            }

            return FromJson(JsonObject.Create(data)!);
        }

        if (data.ValueKind != JsonValueKind.String)
        {
            throw new YWebRtcFormatException(YWebRtcFormatProblem.Malformed, $"a room with a password carries base64 strings, not {data.ValueKind}");
        }

        return DecodeSealed(data.GetString()!, key);
    }

    public static RoomMessage DecodeSealed(string base64, RoomKey key)
    {
        if (base64.Length > MaxPayloadChars)
        {
            throw new YWebRtcFormatException(YWebRtcFormatProblem.TooLarge, $"payload over {MaxPayloadChars} characters");
        }

        byte[] frame;
        try
        {
            frame = Convert.FromBase64String(base64);
        }
        catch (FormatException ex)
        {
            throw new YWebRtcFormatException(YWebRtcFormatProblem.Malformed, "sealed payload is not base64", ex);
        }

        return Lib0JsonAny.Decode(key.Open(frame)) is JsonObject obj
            ? FromJson(obj)
            : throw new YWebRtcFormatException(YWebRtcFormatProblem.Malformed, "sealed payload is not a JSON object");
    }

    public static RoomMessage FromJson(JsonObject obj)
    {
        var from = RequiredString(obj, "from", "payload");
        return RequiredString(obj, "type", "payload") switch
        {
            "announce" => new AnnounceMessage(from),
            "signal" => new PeerSignalMessage(
                from,
                RequiredString(obj, "to", "signal payload"),
                OptionalNumber(obj, "token"),
                SignalFromJson(obj["signal"] as JsonObject
                    ?? throw new YWebRtcFormatException(YWebRtcFormatProblem.Missing, "signal payload without a 'signal' object"))),
            var other => throw new YWebRtcFormatException(YWebRtcFormatProblem.Unsupported, $"unknown room message type '{Shorten(other)}'"),
        };
    }

    private static JsonObject SignalToJson(PeerSignal signal) => signal switch
    {
        SessionDescriptionSignal description => new JsonObject { ["type"] = description.Type, ["sdp"] = description.Sdp },
        CandidateSignal candidate => new JsonObject
        {
            ["type"] = "candidate",
            ["candidate"] = new JsonObject
            {
                ["candidate"] = candidate.Candidate,
                ["sdpMLineIndex"] = candidate.SdpMLineIndex,
                ["sdpMid"] = candidate.SdpMid,
            },
        },
        RenegotiationSignal renegotiation => new JsonObject { ["type"] = renegotiation.Kind, [renegotiation.Kind] = true },
        _ => throw new ArgumentException($"not a simple-peer signal: {signal.GetType().Name}", nameof(signal)),
    };

    /// <summary>
    /// Follows simple-peer's own reading (<c>signal(data)</c> looks at sdp, candidate, renegotiate,
    /// transceiverRequest, not at <c>type</c>), but strictly: exactly one of them, with its fields.
    /// </summary>
    private static PeerSignal SignalFromJson(JsonObject signal)
    {
        if (signal.ContainsKey("sdp"))
        {
            var sdp = RequiredString(signal, "sdp", "description signal");
            return RequiredString(signal, "type", "description signal") switch
            {
                "offer" => new SessionDescriptionSignal(true, sdp),
                "answer" => new SessionDescriptionSignal(false, sdp),
                var other => throw new YWebRtcFormatException(YWebRtcFormatProblem.Unsupported, $"description of type '{Shorten(other)}' (data channels use offer and answer)"),
            };
        }

        if (signal["candidate"] is JsonObject candidate)
        {
            return new CandidateSignal(
                RequiredString(candidate, "candidate", "candidate signal"),
                OptionalNumber(candidate, "sdpMLineIndex") is { } index && index >= 0 && index <= ushort.MaxValue && Math.Floor(index) == index ? (int)index : null,
                candidate["sdpMid"] is JsonValue mid && mid.GetValueKind() == JsonValueKind.String ? mid.GetValue<string>() : null);
        }

        if (signal.ContainsKey("renegotiate"))
        {
            return new RenegotiationSignal("renegotiate");
        }

        if (signal.ContainsKey("transceiverRequest"))
        {
            return new RenegotiationSignal("transceiverRequest");
        }

        throw new YWebRtcFormatException(YWebRtcFormatProblem.Missing, "signal with neither sdp, candidate nor renegotiation");
    }

    private static string RequiredString(JsonObject obj, string name, string what) =>
        obj[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw new YWebRtcFormatException(YWebRtcFormatProblem.Missing, $"{what} without a string '{name}'");

    private static double? OptionalNumber(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "..." : text;
}
