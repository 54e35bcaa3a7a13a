namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>SRV rdata (RFC 2782): where an instance listens.</summary>
internal sealed record SrvData(ushort Priority, ushort Weight, ushort Port, DnsName Target) : DnsRecordData;
