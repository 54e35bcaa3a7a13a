using System.Net.Sockets;

namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// Turns a <see cref="DnsMessage"/> into bytes (layouts in <see cref="DnsCodec"/> and
/// <see cref="DnsReader"/>). Checks that each record's data matches its type before writing,
/// so a programming slip surfaces as a <see cref="DnsFormatException"/> instead of a packet
/// other responders would reject.
/// </summary>
internal static class DnsMessageWriter
{
    public static byte[] Write(DnsMessage message)
    {
        var writer = new DnsWriter();
        writer.WriteUInt16(message.Id);
        writer.WriteUInt16((ushort)message.Flags);
        writer.WriteUInt16(Count(message.Questions.Count, "questions"));
        writer.WriteUInt16(Count(message.Answers.Count, "answers"));
        writer.WriteUInt16(Count(message.Authorities.Count, "authority records"));
        writer.WriteUInt16(Count(message.Additionals.Count, "additional records"));
        foreach (var question in message.Questions)
        {
            writer.WriteName(question.Name);
            writer.WriteUInt16((ushort)question.Type);
            writer.WriteUInt16((ushort)(DnsWireConstants.ClassIn | (question.UnicastResponse ? DnsWireConstants.UnicastResponseBit : 0)));
        }
        foreach (var record in message.Answers)
            WriteRecord(writer, record);
        foreach (var record in message.Authorities)
            WriteRecord(writer, record);
        foreach (var record in message.Additionals)
            WriteRecord(writer, record);
        return writer.ToArray();
    }

    private static ushort Count(int count, string what) =>
        count <= ushort.MaxValue ? (ushort)count : throw new DnsFormatException($"A DNS message can carry at most 65535 {what}; got {count}.");

    private static void WriteRecord(DnsWriter writer, DnsRecord record)
    {
        writer.WriteName(record.Name);
        writer.WriteUInt16((ushort)record.Type);
        writer.WriteUInt16((ushort)(DnsWireConstants.ClassIn | (record.CacheFlush ? DnsWireConstants.CacheFlushBit : 0)));
        writer.WriteUInt32(record.Ttl);
        var rdLengthAt = writer.Length;
        writer.WriteUInt16(0);
        WriteRdata(writer, record);
        var rdLength = writer.Length - rdLengthAt - 2;
        if (rdLength > ushort.MaxValue)
            throw new DnsFormatException($"The rdata of {record.Name} ({record.Type}) is {rdLength} bytes; at most 65535 fit.");
        writer.PatchUInt16(rdLengthAt, (ushort)rdLength);
    }

    private static void WriteRdata(DnsWriter writer, DnsRecord record)
    {
        switch (record.Data)
        {
            case OpaqueData opaque:
                // Any type may carry raw rdata: that is how unknown records re-encode unchanged.
                writer.WriteBytes(opaque.RawSpan);
                return;
            case AddressData address when address.RecordType == record.Type:
                writer.WriteBytes(address.Address.GetAddressBytes());
                return;
            case PtrData ptr when record.Type == DnsRecordType.PTR:
                writer.WriteName(ptr.Target);
                return;
            case SrvData srv when record.Type == DnsRecordType.SRV:
                writer.WriteUInt16(srv.Priority);
                writer.WriteUInt16(srv.Weight);
                writer.WriteUInt16(srv.Port);
                // RFC 6762 §18.14 allows compression in SRV targets (unlike unicast DNS, RFC 2782).
                writer.WriteName(srv.Target);
                return;
            case TxtData txt when record.Type == DnsRecordType.TXT:
                foreach (var s in txt.StringsUnsafe)
                {
                    writer.WriteByte((byte)s.Length);
                    writer.WriteBytes(s);
                }
                return;
            case NsecData nsec when record.Type == DnsRecordType.NSEC:
                writer.WriteName(nsec.Next);
                NsecTypeBitmap.Write(nsec.Types, writer);
                return;
            default:
                throw new DnsFormatException(
                    $"A {record.Type} record for {record.Name} cannot carry {DescribeData(record.Data)}.");
        }
    }

    private static string DescribeData(DnsRecordData? data) => data switch
    {
        null => "no data",
        AddressData { Address.AddressFamily: AddressFamily.InterNetwork } => "an IPv4 address",
        AddressData => "an IPv6 address",
        _ => data.GetType().Name,
    };
}
