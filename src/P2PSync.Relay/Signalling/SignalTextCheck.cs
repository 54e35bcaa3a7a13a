using System.Text.Json;
using System.Text.Unicode;

namespace P2PSync.Relay.Signalling;

/// <summary>
/// Checks what JsonDocument checks only lazily, when a string is read or re-written: that the text
/// is UTF-8 and that no string escape leaves half a surrogate pair ("\ud800"). JavaScript accepts
/// both (it substitutes or keeps lone halves), but .NET throws on them mid-way, so they are refused
/// up front as bad input. y-webrtc never sends them: its payloads are SDP text and base64.
/// Text without such an escape skips the reader pass; JSON syntax is JsonDocument's to check.
/// </summary>
internal static class SignalTextCheck
{
    /// <summary>None when the text is fine to parse and forward; otherwise why not.</summary>
    public static SignalIgnoreReason Check(ReadOnlySpan<byte> message)
    {
        if (!Utf8.IsValid(message))
        {
            return SignalIgnoreReason.InvalidUtf8;
        }

        if (!MayHaveSurrogateEscape(message))
        {
            return SignalIgnoreReason.None;
        }

        var reader = new Utf8JsonReader(message, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    // Unescaping is where a lone surrogate shows up.
                    _ = reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            return SignalIgnoreReason.MalformedJson;
        }
        catch (InvalidOperationException)
        {
            return SignalIgnoreReason.LoneSurrogate;
        }

        return SignalIgnoreReason.None;
    }

    // True when the text has "\uD800"-"\uDFFF" (any case), the only escapes that can leave half a pair.
    // Most messages have none, so the full check with a reader is skipped for them.
    private static bool MayHaveSurrogateEscape(ReadOnlySpan<byte> message)
    {
        var rest = message;
        while (true)
        {
            var at = rest.IndexOf("\\u"u8);
            if (at < 0 || at + 4 > rest.Length)
            {
                return false;
            }

            var hex = rest.Slice(at + 2, Math.Min(2, rest.Length - at - 2));
            if (hex.Length == 2 && (hex[0] | 0x20) == 'd' && hex[1] is (byte)'8' or (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F')
            {
                return true;
            }

            rest = rest[(at + 2)..];
        }
    }
}
