namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>PTR rdata: the instance name a service type points at (RFC 6763 §4.1).</summary>
internal sealed record PtrData(DnsName Target) : DnsRecordData;
