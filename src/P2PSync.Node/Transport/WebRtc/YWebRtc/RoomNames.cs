using System.Text;

namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>What a y-webrtc room name may be here: it is a relay topic, so the relay's topic limits apply.</summary>
internal static class RoomNames
{
    /// <summary>The relay's default topic limit in UTF-8 bytes (docs/protocol/relay-signal.md).</summary>
    public const int MaxBytes = 512;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Null when <paramref name="name"/> is usable, else why not (for the API's 400 and the CLI).</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "a room name is required";
        }

        if (name.Any(char.IsControl))
        {
            return "a room name has no control characters";
        }

        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(name);
        }
        catch (EncoderFallbackException)
        {
            return "a room name must be valid Unicode (a lone surrogate has no UTF-8 form, and the name salts the key)";
        }

        return bytes > MaxBytes ? $"a room name is at most {MaxBytes} bytes of UTF-8" : null;
    }
}
