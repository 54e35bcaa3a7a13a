using System.Net.Sockets;
using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// Every record the responder owns on one interface, and which of them answer a question
/// (RFC 6762 §6) or belong in the additional section (RFC 6763 §12). Immutable: a rename, a
/// profile change or new addresses build a new set, and the difference is what gets a goodbye.
/// </summary>
internal sealed class ResponderRecordSet
{
    private ResponderRecordSet(DnsName serviceType, DnsName instance, DnsName host, IReadOnlyList<DnsRecord> all)
    {
        ServiceType = serviceType;
        Instance = instance;
        Host = host;
        All = all;
    }

    public DnsName ServiceType { get; }

    /// <summary>Full instance name, e.g. <c>Laptop._p2psync._tcp.local</c>.</summary>
    public DnsName Instance { get; }

    /// <summary>Full host name, e.g. <c>p2psync-abcdefghij.local</c>.</summary>
    public DnsName Host { get; }

    /// <summary>PTR (type enumeration), PTR (service), SRV, TXT, then one A/AAAA per address.</summary>
    public IReadOnlyList<DnsRecord> All { get; }

    public static ResponderRecordSet Build(ServiceProfile profile, DnsName instance, DnsName host, MdnsInterface nic)
    {
        var serviceType = profile.EffectiveServiceType;
        var records = new List<DnsRecord>
        {
            new(MdnsNames.ServiceEnumeration, DnsRecordType.PTR, false, MdnsTiming.OtherRecordTtl, new PtrData(serviceType)),
            new(serviceType, DnsRecordType.PTR, false, MdnsTiming.OtherRecordTtl, new PtrData(instance)),
            new(instance, DnsRecordType.SRV, true, MdnsTiming.HostRecordTtl, new SrvData(0, 0, profile.Port, host)),
            new(instance, DnsRecordType.TXT, true, MdnsTiming.OtherRecordTtl, TxtOf(profile.Txt)),
        };
        // AddressData drops IPv6 scope ids, so fe80::1%2 and fe80::1%3 become one record, as on the wire.
        foreach (var data in nic.Addresses.Select(a => new AddressData(a)).Distinct())
        {
            records.Add(new DnsRecord(host, data.RecordType, true, MdnsTiming.HostRecordTtl, data));
        }

        return new ResponderRecordSet(serviceType, instance, host, records);
    }

    /// <summary>TXT pairs with <c>txtvers</c> first (RFC 6763 §6.7), the rest in the dictionary's order.</summary>
    public static TxtData TxtOf(IReadOnlyDictionary<string, string> txt)
    {
        var ordered = txt.Where(p => string.Equals(p.Key, "txtvers", StringComparison.OrdinalIgnoreCase))
            .Concat(txt.Where(p => !string.Equals(p.Key, "txtvers", StringComparison.OrdinalIgnoreCase)));
        return TxtData.FromPairs(ordered);
    }

    /// <summary>The unique records (cache-flush set) carrying <paramref name="name"/>: what a probe for that name proposes.</summary>
    public IEnumerable<DnsRecord> UniqueRecordsNamed(DnsName name) => All.Where(r => r.CacheFlush && r.Name.Equals(name));

    /// <summary>Records that answer a question (ANY matches every type).</summary>
    public IEnumerable<DnsRecord> Answering(DnsQuestion question) =>
        All.Where(r => r.Name.Equals(question.Name) && (question.Type == DnsRecordType.ANY || r.Type == question.Type));

    /// <summary>
    /// What a querier will want next (RFC 6763 §12): SRV, TXT and addresses after a service PTR;
    /// addresses after an SRV; the other family's addresses after an A or AAAA.
    /// </summary>
    public IEnumerable<DnsRecord> AdditionalsFor(DnsRecord answer)
    {
        return answer.Type switch
        {
            DnsRecordType.PTR when answer.Name.Equals(ServiceType) =>
                All.Where(r => r.Name.Equals(Instance) || r.Name.Equals(Host)),
            DnsRecordType.SRV => All.Where(r => r.Name.Equals(Host)),
            DnsRecordType.A => All.Where(r => r.Type == DnsRecordType.AAAA),
            DnsRecordType.AAAA => All.Where(r => r.Type == DnsRecordType.A),
            _ => [],
        };
    }

    /// <summary>True when <paramref name="record"/> is one of ours (same name, type and rdata).</summary>
    public bool Contains(DnsRecord record) => All.Any(r => r.SameRdata(record));

    /// <summary>True when the set holds an address of <paramref name="family"/> (the interface has that link).</summary>
    public bool HasFamily(AddressFamily family) =>
        All.Any(r => r.Data is AddressData a && a.Address.AddressFamily == family);
}
