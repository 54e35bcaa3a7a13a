using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// A record's identity without TTL and cache-flush bit: name (ASCII case-insensitive), type
/// and rdata by value. The same notion as <see cref="DnsRecord.SameRdata"/>, usable as a
/// dictionary key for caches and per-record rate limits.
/// </summary>
internal readonly record struct RecordKey(DnsName Name, DnsRecordType Type, DnsRecordData Data)
{
    public static RecordKey Of(DnsRecord record) => new(record.Name, record.Type, record.Data);
}
