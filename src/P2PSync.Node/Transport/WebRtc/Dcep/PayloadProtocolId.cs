namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>SCTP payload protocol identifiers used by WebRTC data channels (RFC 8831 §8, RFC 8832 §8.1).</summary>
internal enum PayloadProtocolId : uint
{
    /// <summary>A DCEP message (OPEN or ACK).</summary>
    Dcep = 50,

    /// <summary>A UTF-8 text message.</summary>
    String = 51,

    /// <summary>Deprecated: a piece of a text message that continues up to the next <see cref="String"/>.</summary>
    StringPartial = 52,

    /// <summary>A binary message.</summary>
    Binary = 53,

    /// <summary>Deprecated: a piece of a binary message that continues up to the next <see cref="Binary"/>.</summary>
    BinaryPartial = 54,

    /// <summary>An empty text message: SCTP cannot carry zero bytes, so the payload is one 0x00 byte.</summary>
    StringEmpty = 56,

    /// <summary>An empty binary message, carried as one 0x00 byte.</summary>
    BinaryEmpty = 57,
}
