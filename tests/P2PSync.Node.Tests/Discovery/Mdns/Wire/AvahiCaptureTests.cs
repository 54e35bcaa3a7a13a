using System.Net;
using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Tests.Discovery.Mdns.Wire;

/// <summary>Our codec against real avahi packets (see <see cref="AvahiCaptures"/>).</summary>
public sealed class AvahiCaptureTests
{
    private static readonly DnsName ServiceType = DnsName.Parse("_p2psync._tcp.local");
    private static readonly DnsName Instance = ServiceType.Prepend("Desk");
    private static readonly DnsName Host = DnsName.Parse("mwirehost.local");
    private static readonly DnsName Services = DnsName.Parse("_services._dns-sd._udp.local");

    private static readonly TxtData Txt = TxtData.FromPairs([new("txtvers", "1"), new("id", "ABCDEFGHIJ"), new("proto", "1")]);

    public static TheoryData<string> AllCaptures =>
        [AvahiCaptures.Probe, AvahiCaptures.Announcement, AvahiCaptures.BrowseQuery, AvahiCaptures.Goodbye, AvahiCaptures.ReverseProbe];

    [Fact]
    public void ProbeCarriesAnyQuestionAndProposedRecords()
    {
        var probe = DnsCodec.Decode(Hex.Parse(AvahiCaptures.Probe));
        Assert.False(probe.IsResponse);
        Assert.Equal([new DnsQuestion(Instance, DnsRecordType.ANY, false)], probe.Questions);
        Assert.Equal(
            [
                new DnsRecord(Instance, DnsRecordType.SRV, false, 120, new SrvData(0, 0, 8080, Host)),
                new DnsRecord(Instance, DnsRecordType.TXT, false, 4500, Txt),
            ],
            probe.Authorities);
    }

    [Fact]
    public void AnnouncementDecodesToTheServiceRecords()
    {
        var announcement = DnsCodec.Decode(Hex.Parse(AvahiCaptures.Announcement));
        Assert.True(announcement.IsResponse);
        Assert.Equal(
            [
                new DnsRecord(Instance, DnsRecordType.TXT, true, 4500, Txt),
                new DnsRecord(ServiceType, DnsRecordType.PTR, false, 4500, new PtrData(Instance)),
                new DnsRecord(Instance, DnsRecordType.SRV, true, 120, new SrvData(0, 0, 8080, Host)),
                new DnsRecord(Host, DnsRecordType.A, true, 120, new AddressData(IPAddress.Parse("10.77.0.1"))),
                new DnsRecord(Services, DnsRecordType.PTR, false, 4500, new PtrData(ServiceType)),
            ],
            announcement.Answers);
    }

    [Fact]
    public void BrowseQueryCarriesItsKnownAnswer()
    {
        var query = DnsCodec.Decode(Hex.Parse(AvahiCaptures.BrowseQuery));
        Assert.Equal([new DnsQuestion(ServiceType, DnsRecordType.PTR, false)], query.Questions);
        Assert.Equal([new DnsRecord(ServiceType, DnsRecordType.PTR, false, 4500, new PtrData(Instance))], query.Answers);
    }

    [Fact]
    public void GoodbyeHasZeroTtlOnTheServiceRecords()
    {
        var goodbye = DnsCodec.Decode(Hex.Parse(AvahiCaptures.Goodbye));
        var serviceRecords = goodbye.Answers.Where(r => r.Name != Host).ToArray();
        Assert.Equal(4, serviceRecords.Length);
        Assert.All(serviceRecords, r => Assert.Equal(0u, r.Ttl));
        Assert.Contains(goodbye.Answers, r => r.SameRdata(new DnsRecord(Instance, DnsRecordType.TXT, false, 99, Txt)));
    }

    [Theory]
    [MemberData(nameof(AllCaptures))]
    public void OurEncodingOfAvahiPacketsIsByteIdentical(string hex)
    {
        // Both sides compress every name against the first earlier occurrence of its longest
        // known suffix, so re-encoding reproduces avahi's bytes exactly.
        var bytes = Hex.Parse(hex);
        Assert.Equal(Hex.Format(bytes), Hex.Format(DnsCodec.Encode(DnsCodec.Decode(bytes))));
    }

    [Theory]
    [MemberData(nameof(AllCaptures))]
    public void MutatedAvahiPacketsDecodeOrAreRefused(string hex)
    {
        var packet = Hex.Parse(hex);
        for (var seed = 0; seed < 2000; seed++)
        {
            var mutated = PacketMutator.Mutate(packet, new Random(seed));
            try
            {
                var message = DnsCodec.Decode(mutated);
                Assert.Equal(message, DnsCodec.Decode(DnsCodec.Encode(message)));
            }
            catch (DnsFormatException)
            {
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"mutation seed {seed}: {e.GetType().Name}: {e}");
            }
        }
    }
}
