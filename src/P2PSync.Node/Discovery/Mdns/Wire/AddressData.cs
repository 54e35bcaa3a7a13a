using System.Net;
using System.Net.Sockets;

namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// A (IPv4) or AAAA (IPv6) rdata. The record type decides which family is allowed; the
/// encoder refuses a mismatch. IPv6 scope ids are not part of the wire form and not compared.
/// </summary>
internal sealed record AddressData : DnsRecordData
{
    public AddressData(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            throw new DnsFormatException($"Address family {address.AddressFamily} has no A or AAAA form.");
        // Drop the scope id: two records naming fe80::1 on different interfaces carry the same rdata.
        Address = address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0
            ? new IPAddress(address.GetAddressBytes())
            : address;
    }

    public IPAddress Address { get; }

    /// <summary>The record type that carries this address.</summary>
    public DnsRecordType RecordType => Address.AddressFamily == AddressFamily.InterNetwork ? DnsRecordType.A : DnsRecordType.AAAA;

    public bool Equals(AddressData? other) => other is not null && Address.Equals(other.Address);

    public override int GetHashCode() => Address.GetHashCode();
}
