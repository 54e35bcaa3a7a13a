namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// The rr types mDNS/DNS-SD needs. Any other 16-bit value is still representable (the enum is
/// just a number): records of such types decode to <see cref="OpaqueData"/>.
/// </summary>
internal enum DnsRecordType : ushort
{
    A = 1,
    PTR = 12,
    TXT = 16,
    AAAA = 28,
    SRV = 33,
    NSEC = 47,

    /// <summary>Only meaningful in questions: "every type you have for this name".</summary>
    ANY = 255,
}
