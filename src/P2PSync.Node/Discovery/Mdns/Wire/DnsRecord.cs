namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// One resource record. Class is IN when we encode; on decode the top bit of the class is the
/// cache-flush bit (RFC 6762 §10.2) and the rest is ignored, so a record of another class is
/// kept rather than failing the packet.
/// </summary>
internal sealed record DnsRecord(DnsName Name, DnsRecordType Type, bool CacheFlush, uint Ttl, DnsRecordData Data)
{
    /// <summary>
    /// Same name (ASCII case-insensitive), type and rdata; TTL and cache-flush ignored. This is
    /// the identity of a record for known-answer suppression and for cache keys (RFC 6762 §7.1).
    /// </summary>
    public bool SameRdata(DnsRecord other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Type == other.Type && Name.Equals(other.Name) && Data.Equals(other.Data);
    }
}
