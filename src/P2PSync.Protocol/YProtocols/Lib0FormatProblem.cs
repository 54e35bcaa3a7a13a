namespace P2PSync.Protocol.YProtocols;

/// <summary>
/// Which way lib0 bytes failed to parse, so callers with their own typed error (y-webrtc's
/// signalling) can keep that distinction when they wrap a <see cref="YProtocolFormatException"/>.
/// </summary>
internal enum Lib0FormatProblem
{
    /// <summary>Bytes that do not follow lib0's layout: invalid UTF-8, trailing bytes, a bad tag.</summary>
    Malformed,

    /// <summary>The bytes end inside a value, or a length runs past the end.</summary>
    Truncated,

    /// <summary>A varint longer than 8 bytes or above 2^53 - 1.</summary>
    TooLarge,
}
