namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>Fixed numbers of the DNS wire format (RFC 1035 §4.1, RFC 6762 §5.4 and §10.2).</summary>
internal static class DnsWireConstants
{
    public const int HeaderBytes = 12;

    /// <summary>Smallest question: root name (1) + type (2) + class (2).</summary>
    public const int MinQuestionBytes = 5;

    /// <summary>Smallest record: root name (1) + type, class, ttl, rdlength (10).</summary>
    public const int MinRecordBytes = 11;

    public const ushort ClassIn = 1;

    /// <summary>Top bit of qclass: "unicast response wanted" (QU).</summary>
    public const ushort UnicastResponseBit = 0x8000;

    /// <summary>Top bit of an rr class: "flush other records of this name and type" (RFC 6762 §10.2).</summary>
    public const ushort CacheFlushBit = 0x8000;

    /// <summary>Top two bits of a length byte that mark a compression pointer.</summary>
    public const byte PointerTag = 0xC0;

    /// <summary>Largest offset a 14-bit compression pointer can reach.</summary>
    public const int MaxPointerOffset = 0x3FFF;

    /// <summary>
    /// Extra guard on pointer hops. Pointers must already go strictly backwards, which ends every
    /// chain; this caps the work a hostile packet can cause at a small constant anyway.
    /// </summary>
    public const int MaxPointerHops = 64;

    /// <summary>Recommended default for <see cref="DnsCodec.EncodeSplit"/>: an Ethernet MTU minus IP/UDP headers.</summary>
    public const int DefaultMaxPacketBytes = 1460;

    /// <summary>Largest mDNS message (RFC 6762 §17): the receive buffer size a host needs.</summary>
    public const int MaxMdnsPacketBytes = 9000;
}
