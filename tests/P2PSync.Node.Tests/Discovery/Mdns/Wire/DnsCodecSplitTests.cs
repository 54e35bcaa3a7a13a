using System.Net;
using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Tests.Discovery.Mdns.Wire;

public sealed class DnsCodecSplitTests
{
    private static readonly DnsName ServiceType = DnsName.Parse("_p2psync._tcp.local");

    private static DnsRecord Ptr(int i) =>
        new(ServiceType, DnsRecordType.PTR, false, 4500, new PtrData(ServiceType.Prepend($"Device number {i:D3}")));

    [Fact]
    public void MessageThatFitsIsOnePacketIdenticalToEncode()
    {
        var message = DnsMessage.Response([Ptr(1), Ptr(2)]);
        var packets = DnsCodec.EncodeSplit(message, DnsWireConstants.DefaultMaxPacketBytes);
        Assert.Equal(DnsCodec.Encode(message), Assert.Single(packets));
    }

    [Fact]
    public void QueryWithManyKnownAnswersSplitsWithTruncatedOnAllButTheLast()
    {
        var question = new DnsQuestion(ServiceType, DnsRecordType.PTR, false);
        var known = Enumerable.Range(0, 200).Select(Ptr).ToArray();
        var query = DnsMessage.Query([question], known);

        var packets = DnsCodec.EncodeSplit(query, DnsWireConstants.DefaultMaxPacketBytes);

        Assert.True(packets.Count > 1);
        Assert.All(packets, p => Assert.True(p.Length <= DnsWireConstants.DefaultMaxPacketBytes, $"{p.Length} bytes"));
        var decoded = packets.Select(p => DnsCodec.Decode(p)).ToArray();
        Assert.Equal([question], decoded[0].Questions);
        Assert.All(decoded.Skip(1), m => Assert.Empty(m.Questions));
        Assert.All(decoded[..^1], m => Assert.True(m.Flags.HasFlag(DnsFlags.Truncated)));
        Assert.False(decoded[^1].Flags.HasFlag(DnsFlags.Truncated));
        Assert.Equal(known, decoded.SelectMany(m => m.Answers));
    }

    [Fact]
    public void ResponseSplitKeepsOrderPutsAuthoritiesFirstAndNeverSetsTruncated()
    {
        var host = DnsName.Parse("p2psync-abcdefghij.local");
        var answers = Enumerable.Range(0, 120).Select(Ptr).ToArray();
        var authority = new DnsRecord(host, DnsRecordType.A, true, 120, new AddressData(IPAddress.Parse("10.0.0.1")));
        var additionals = Enumerable.Range(0, 50)
            .Select(i => new DnsRecord(host, DnsRecordType.AAAA, true, 120, new AddressData(IPAddress.Parse($"fd00::{i + 1:x}"))))
            .ToArray();
        var message = DnsMessage.Response(answers, additionals) with { Authorities = [authority] };

        var decoded = DnsCodec.EncodeSplit(message, 700).Select(p => DnsCodec.Decode(p)).ToArray();

        Assert.True(decoded.Length > 2);
        Assert.All(decoded, m => Assert.Equal(DnsFlags.Response | DnsFlags.Authoritative, m.Flags));
        Assert.Equal([authority], decoded[0].Authorities);
        Assert.All(decoded.Skip(1), m => Assert.Empty(m.Authorities));
        Assert.Equal(answers, decoded.SelectMany(m => m.Answers));
        Assert.Equal(additionals, decoded.SelectMany(m => m.Additionals));
    }

    [Fact]
    public void RecordLargerThanAPacketIsRefused()
    {
        var huge = new DnsRecord(ServiceType, (DnsRecordType)99, false, 10, new OpaqueData(new byte[2000]));
        var message = DnsMessage.Response([Ptr(1), huge]);
        var error = Assert.Throws<DnsFormatException>(() => DnsCodec.EncodeSplit(message, DnsWireConstants.DefaultMaxPacketBytes));
        Assert.Contains("does not fit", error.Message);
    }

    [Fact]
    public void QuestionsAloneOverTheLimitAreRefused()
    {
        var questions = Enumerable.Range(0, 10).Select(i => new DnsQuestion(ServiceType.Prepend($"q{i}"), DnsRecordType.ANY, false)).ToArray();
        var message = DnsMessage.Query(questions, [Ptr(1)]);
        Assert.Throws<DnsFormatException>(() => DnsCodec.EncodeSplit(message, 60));
    }

    [Fact]
    public void QuestionsThatFillTheFirstPacketPushAnswersToTheNext()
    {
        var question = new DnsQuestion(ServiceType.Prepend(new string('q', 60)), DnsRecordType.ANY, false);
        var message = DnsMessage.Query([question], [Ptr(1)]);
        var questionOnly = DnsCodec.Encode(DnsMessage.Query([question])).Length;

        var decoded = DnsCodec.EncodeSplit(message, questionOnly + 10).Select(p => DnsCodec.Decode(p)).ToArray();

        Assert.Equal(2, decoded.Length);
        Assert.Equal([question], decoded[0].Questions);
        Assert.Empty(decoded[0].Answers);
        Assert.True(decoded[0].Flags.HasFlag(DnsFlags.Truncated));
        Assert.Equal([Ptr(1)], decoded[1].Answers);
        Assert.False(decoded[1].Flags.HasFlag(DnsFlags.Truncated));
    }

    [Fact]
    public void LimitBelowAHeaderIsAnArgumentError() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DnsCodec.EncodeSplit(DnsMessage.Response([Ptr(1)]), 11));
}
