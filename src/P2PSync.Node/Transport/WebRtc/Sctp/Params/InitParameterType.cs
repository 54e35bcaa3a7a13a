namespace P2PSync.Node.Transport.WebRtc.Sctp.Params;

/// <summary>INIT / INIT ACK parameter types we act on, or know to ignore (RFC 9260 §3.3.2, RFC 3758, RFC 5061, RFC 4895, RFC 9653).</summary>
internal enum InitParameterType : ushort
{
    Ipv4Address = 5,
    Ipv6Address = 6,
    StateCookie = 7,
    UnrecognizedParameter = 8,
    CookiePreservative = 9,
    HostNameAddress = 11,
    SupportedAddressTypes = 12,
    EcnCapable = 0x8000,
    ZeroChecksumAcceptable = 0x8001,
    Random = 0x8002,
    ChunkList = 0x8003,
    HmacAlgorithm = 0x8004,
    SupportedExtensions = 0x8008,
    ForwardTsnSupported = 0xC000,
}
