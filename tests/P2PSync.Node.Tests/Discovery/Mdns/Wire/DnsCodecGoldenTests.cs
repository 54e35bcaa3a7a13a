using System.Net;
using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Tests.Discovery.Mdns.Wire;

/// <summary>
/// Byte-exact packets written by hand from the RFC 1035 / RFC 6762 layouts (offsets in the
/// comments), so the encoder is checked against the specification, not against the decoder.
/// </summary>
public sealed class DnsCodecGoldenTests
{
    private static readonly DnsName ServiceType = DnsName.Parse("_p2psync._tcp.local");
    private static readonly DnsName Instance = ServiceType.Prepend("Desk");
    private static readonly DnsName Host = DnsName.Parse("p2psync-abcdefghij.local");

    // One QU question for PTR _p2psync._tcp.local.
    private const string QueryHex = """
        0000 0000 0001 0000 0000 0000
        08 5f7032707379 6e63  04 5f746370  05 6c6f63616c  00
        000c 8001
        """;

    /*
     * Response: PTR, SRV, TXT, A answers + an AAAA additional.
     * offset 12  "_p2psync" label (so 0xc00c = _p2psync._tcp.local), 26 = "local" (0xc01a)
     * offset 43  "Desk" label in the PTR rdata (0xc02b = the instance name)
     * offset 68  "p2psync-abcdefghij" label in the SRV rdata (0xc044 = the host name)
     */
    private const string ResponseHex = """
        0000 8400 0000 0004 0000 0001
        08 5f70327073796e63 04 5f746370 05 6c6f63616c 00  000c 0001 00001194 0007
            04 4465736b c00c
        c02b 0021 8001 00000078 001b
            0000 0000 1f90 12 7032707379 6e632d61 62636465 66676869 6a c01a
        c02b 0010 8001 00001194 0020
            09 74787476657273 3d31
            0d 69643d 4142434445 464748494a
            07 70726f74 6f3d31
        c044 0001 8001 00000078 0004 c0a80114
        c044 001c 8001 00000078 0010 fe80 0000 0000 0000 0000 0000 0000 0001
        """;

    private static DnsMessage Query() =>
        DnsMessage.Query([new DnsQuestion(ServiceType, DnsRecordType.PTR, UnicastResponse: true)]);

    private static DnsMessage Response() => DnsMessage.Response(
        [
            new DnsRecord(ServiceType, DnsRecordType.PTR, false, 4500, new PtrData(Instance)),
            new DnsRecord(Instance, DnsRecordType.SRV, true, 120, new SrvData(0, 0, 8080, Host)),
            new DnsRecord(Instance, DnsRecordType.TXT, true, 4500, TxtData.FromPairs(
            [
                new("txtvers", "1"),
                new("id", "ABCDEFGHIJ"),
                new("proto", "1"),
            ])),
            new DnsRecord(Host, DnsRecordType.A, true, 120, new AddressData(IPAddress.Parse("192.168.1.20"))),
        ],
        [new DnsRecord(Host, DnsRecordType.AAAA, true, 120, new AddressData(IPAddress.Parse("fe80::1")))]);

    [Fact]
    public void QueryEncodesToTheRfcLayout() => Assert.Equal(Hex.Format(Hex.Parse(QueryHex)), Hex.Format(DnsCodec.Encode(Query())));

    [Fact]
    public void QueryDecodesFromTheRfcLayout()
    {
        var message = DnsCodec.Decode(Hex.Parse(QueryHex));
        Assert.Equal(Query(), message);
        Assert.False(message.IsResponse);
        Assert.True(message.Questions[0].UnicastResponse);
    }

    [Fact]
    public void ResponseEncodesWithCompressionToTheRfcLayout()
    {
        var bytes = DnsCodec.Encode(Response());
        Assert.Equal(Hex.Format(Hex.Parse(ResponseHex)), Hex.Format(bytes));
        Assert.Equal(177, bytes.Length);
    }

    [Fact]
    public void ResponseDecodesFromTheRfcLayout()
    {
        var message = DnsCodec.Decode(Hex.Parse(ResponseHex));
        Assert.Equal(Response(), message);
        Assert.True(message.IsResponse);
        Assert.Equal(0, message.Opcode);
        Assert.Equal(0, message.Rcode);
        var txt = Assert.IsType<TxtData>(message.Answers[2].Data);
        Assert.True(txt.TryGet("ID", out var id));
        Assert.Equal("ABCDEFGHIJ", id);
        Assert.False(message.Answers[0].CacheFlush);
        Assert.True(message.Answers[1].CacheFlush);
    }

    [Fact]
    public void EmptyTxtIsOneZeroLengthString()
    {
        // RFC 6763 §6.1: no pairs = a single zero byte of rdata.
        var record = new DnsRecord(Instance, DnsRecordType.TXT, true, 4500, TxtData.FromPairs([]));
        var bytes = DnsCodec.Encode(DnsMessage.Response([record]));
        Assert.EndsWith("0010800100001194000100", Hex.Format(bytes));
        Assert.Equal(record, DnsCodec.Decode(bytes).Answers[0]);
    }

    [Fact]
    public void NsecBitmapMatchesRfc4034Layout()
    {
        // Types A(1), TXT(16), AAAA(28), SRV(33): window 0, 5 bytes:
        // byte 0 bit 1 = A -> 0x40; byte 2 bit 0 = TXT -> 0x80; byte 3 bit 4 = AAAA -> 0x08; byte 4 bit 1 = SRV -> 0x40.
        var types = new HashSet<DnsRecordType> { DnsRecordType.SRV, DnsRecordType.A, DnsRecordType.AAAA, DnsRecordType.TXT };
        var record = new DnsRecord(Host, DnsRecordType.NSEC, true, 120, new NsecData(Host, types));
        var bytes = DnsCodec.Encode(DnsMessage.Response([record]));
        // Name at 12, NSEC next name compressed to 0xc00c.
        Assert.EndsWith("002f8001000000780009c00c000540008008" + "40", Hex.Format(bytes));
        Assert.Equal(record, DnsCodec.Decode(bytes).Answers[0]);
    }

    [Fact]
    public void UnknownTypesAndOtherClassesStillDecode()
    {
        // A question of type ANY with qclass 0x80ff (QU bit + class ANY), then an answer of
        // type 99 (unknown to us) in class CH (3) with the flush bit set and 3 bytes of rdata.
        var bytes = Hex.Parse("""
            0000 8400 0001 0001 0000 0000
            01 61 00 00ff 80ff
            c00c 0063 8003 0000000a 0003 010203
            """);
        var message = DnsCodec.Decode(bytes);
        Assert.Equal(new DnsQuestion(DnsName.Parse("a"), DnsRecordType.ANY, true), message.Questions[0]);
        var record = message.Answers[0];
        Assert.Equal((DnsRecordType)99, record.Type);
        Assert.True(record.CacheFlush);
        Assert.Equal(new OpaqueData([1, 2, 3]), record.Data);
        // Re-encoding writes class IN, keeps everything else.
        Assert.Equal(message, DnsCodec.Decode(DnsCodec.Encode(message)));
    }

    [Fact]
    public void OpcodeAndRcodeAreExposedAndKept()
    {
        var bytes = Hex.Parse("1234 a40b 0000 0000 0000 0000");
        var message = DnsCodec.Decode(bytes);
        Assert.Equal(0x1234, message.Id);
        Assert.Equal(4, message.Opcode);
        Assert.Equal(0xb, message.Rcode);
        Assert.True(message.IsResponse);
        Assert.Equal(bytes, DnsCodec.Encode(message));
    }
}
