namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// The 16-bit flags word of the DNS header, kept whole so opcode and rcode survive a round
/// trip (<see cref="DnsMessage.Opcode"/>, <see cref="DnsMessage.Rcode"/>). Only the bits mDNS
/// uses are named.
/// </summary>
[Flags]
internal enum DnsFlags : ushort
{
    None = 0,

    /// <summary>QR: the message is a response.</summary>
    Response = 0x8000,

    /// <summary>AA: set on every mDNS response (RFC 6762 §18.4).</summary>
    Authoritative = 0x0400,

    /// <summary>TC: in a query, more known answers follow in the next packet (RFC 6762 §7.2).</summary>
    Truncated = 0x0200,
}
