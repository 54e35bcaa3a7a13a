namespace P2PSync.Node.Transport.WebRtc;

/// <summary>What is wrong with bytes or text a WebRTC codec refused (the message gives the detail).</summary>
internal enum WebRtcFormatProblem
{
    /// <summary>Fewer bytes than the header or a length field calls for.</summary>
    Truncated,

    /// <summary>A length field disagrees with the bytes present, or padding is wrong.</summary>
    LengthMismatch,

    /// <summary>A checksum (STUN FINGERPRINT, SCTP CRC32c) does not match.</summary>
    BadChecksum,

    /// <summary>An integrity check (STUN MESSAGE-INTEGRITY) failed.</summary>
    BadIntegrity,

    /// <summary>A version, magic value or type this code does not speak.</summary>
    Unsupported,

    /// <summary>A field holds a value the protocol forbids.</summary>
    InvalidValue,

    /// <summary>Something the protocol requires is absent.</summary>
    Missing,

    /// <summary>Over a size or count limit.</summary>
    TooLarge,

    /// <summary>Text that does not follow the grammar (SDP lines, candidate attributes).</summary>
    Malformed,
}
