using System.Text;
using System.Text.Json;
using P2PSync.Node.Transport.WebRtc.Ice;

namespace P2PSync.Node.Transport.WebRtc.Sdp;

/// <summary>
/// A candidate trickled through signalling, in the browser's RTCIceCandidateInit JSON shape (notes §5.3):
/// <code>{"candidate":"candidate:...","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"BTMh"}</code>
/// A null <see cref="Candidate"/> is end-of-candidates: browsers signal it as JSON <c>null</c> or with
/// an empty candidate string. The usernameFragment lets the receiver drop candidates of an older ICE
/// generation.
/// </summary>
internal sealed record SdpTrickleCandidate(IceCandidate? Candidate, string? SdpMid, int? SdpMLineIndex, string? UsernameFragment)
{
    /// <summary>A trickle message is one line of text; more than this is not a candidate.</summary>
    public const int MaxJsonLength = 4096;

    public bool IsEndOfCandidates => Candidate is null;

    /// <summary>Reads RTCIceCandidateInit JSON (or <c>null</c>); unknown properties are ignored.</summary>
    public static SdpTrickleCandidate ParseJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxJsonLength)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.TooLarge, $"a trickled candidate of {json.Length} characters; at most {MaxJsonLength}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            throw SdpFormat.Error(WebRtcFormatProblem.Malformed, "a trickled candidate is not JSON");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Null)
            {
                return new SdpTrickleCandidate(null, null, null, null);
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw SdpFormat.Error(WebRtcFormatProblem.Malformed, "a trickled candidate is a JSON object or null");
            }

            var line = OptionalString(root, "candidate");
            var mid = OptionalString(root, "sdpMid");
            var index = OptionalIndex(root);
            var ufrag = OptionalString(root, "usernameFragment");
            if (string.IsNullOrEmpty(line))
            {
                return new SdpTrickleCandidate(null, mid, index, ufrag);
            }

            if (mid is null && index is null)
            {
                throw SdpFormat.Error(WebRtcFormatProblem.Missing, "a trickled candidate needs sdpMid or sdpMLineIndex");
            }

            IceCandidate candidate;
            try
            {
                candidate = IceCandidateLine.Parse(line);
            }
            catch (WebRtcFormatException e)
            {
                throw SdpFormat.Retag(e);
            }

            return new SdpTrickleCandidate(candidate, mid, index, ufrag);
        }
    }

    /// <summary>The JSON a browser's addIceCandidate takes; end-of-candidates is written with an empty candidate.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("candidate", Candidate is null ? "" : IceCandidateLine.Format(Candidate));
            WriteOptional(writer, "sdpMid", SdpMid);
            if (SdpMLineIndex is { } index)
            {
                writer.WriteNumber("sdpMLineIndex", index);
            }
            else
            {
                writer.WriteNull("sdpMLineIndex");
            }

            WriteOptional(writer, "usernameFragment", UsernameFragment);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw SdpFormat.Error(WebRtcFormatProblem.InvalidValue, $"trickle field '{name}' must be a string or null");
    }

    private static int? OptionalIndex(JsonElement root)
    {
        if (!root.TryGetProperty("sdpMLineIndex", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var index) && index is >= 0 and <= ushort.MaxValue
            ? index
            : throw SdpFormat.Error(WebRtcFormatProblem.InvalidValue, "trickle field 'sdpMLineIndex' must be an integer from 0 to 65535 or null");
    }
}
