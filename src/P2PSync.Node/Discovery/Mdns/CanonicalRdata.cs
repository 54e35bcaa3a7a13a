using System.Text;
using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// Rdata as raw, uncompressed bytes, the form RFC 6762 §8.2 compares when two hosts probe for
/// the same name at once. Names inside rdata are written label by label without compression
/// and without case folding, exactly as they would appear uncompressed on the wire.
/// </summary>
internal static class CanonicalRdata
{
    public static byte[] Of(DnsRecordData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var bytes = new List<byte>(64);
        switch (data)
        {
            case AddressData address:
                bytes.AddRange(address.Address.GetAddressBytes());
                break;
            case PtrData ptr:
                AddName(bytes, ptr.Target);
                break;
            case SrvData srv:
                AddUInt16(bytes, srv.Priority);
                AddUInt16(bytes, srv.Weight);
                AddUInt16(bytes, srv.Port);
                AddName(bytes, srv.Target);
                break;
            case TxtData txt:
                foreach (var s in txt.Strings)
                {
                    bytes.Add((byte)s.Length);
                    bytes.AddRange(s);
                }

                break;
            case NsecData nsec:
                // Only ever compared, never sent: the next name then the type numbers in order
                // gives the same ordering as the bitmap for the single-window sets mDNS uses.
                AddName(bytes, nsec.Next);
                foreach (var type in nsec.Types.Order())
                {
                    AddUInt16(bytes, (ushort)type);
                }

                break;
            case OpaqueData opaque:
                bytes.AddRange(opaque.Raw);
                break;
            default:
                throw new ArgumentException($"no canonical form for {data.GetType().Name}", nameof(data));
        }

        return [.. bytes];
    }

    private static void AddName(List<byte> bytes, DnsName name)
    {
        foreach (var label in name.Labels)
        {
            var encoded = Encoding.UTF8.GetBytes(label);
            bytes.Add((byte)encoded.Length);
            bytes.AddRange(encoded);
        }

        bytes.Add(0);
    }

    private static void AddUInt16(List<byte> bytes, ushort value)
    {
        bytes.Add((byte)(value >> 8));
        bytes.Add((byte)value);
    }
}
