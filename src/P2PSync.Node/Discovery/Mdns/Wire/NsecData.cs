namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// NSEC rdata as mDNS uses it (RFC 6762 §6.1): "this name has exactly these types", a negative
/// answer for the others. <paramref name="Next"/> is the record's own name in mDNS.
/// </summary>
internal sealed record NsecData(DnsName Next, IReadOnlySet<DnsRecordType> Types) : DnsRecordData
{
    public IReadOnlySet<DnsRecordType> Types { get; init; } = new SortedSet<DnsRecordType>(Types ?? throw new ArgumentNullException(nameof(Types)));

    public bool Equals(NsecData? other) => other is not null && Next.Equals(other.Next) && Types.SetEquals(other.Types);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Next);
        foreach (var type in Types.Order())
            hash.Add(type);
        return hash.ToHashCode();
    }
}
