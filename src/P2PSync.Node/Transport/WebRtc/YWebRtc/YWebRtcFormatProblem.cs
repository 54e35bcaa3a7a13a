namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>What is wrong with a y-webrtc signalling payload we refused (the message gives the detail).</summary>
internal enum YWebRtcFormatProblem
{
    /// <summary>The bytes end inside a value, or a length runs past the end.</summary>
    Truncated,

    /// <summary>Bytes or JSON that do not follow lib0's or y-webrtc's layout.</summary>
    Malformed,

    /// <summary>Well-formed, but a kind this code does not speak (algorithm, message type, lib0 tag).</summary>
    Unsupported,

    /// <summary>Over a size, depth or count limit.</summary>
    TooLarge,

    /// <summary>AES-GCM refused the ciphertext: another password, or tampered in transit.</summary>
    Undecryptable,

    /// <summary>A field y-webrtc always sends is absent or of the wrong JSON type.</summary>
    Missing,
}
