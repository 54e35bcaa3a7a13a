using System.Net;
using P2PSync.Node.Discovery.Mdns;
using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Tests.Discovery.Mdns;

/// <summary>RFC 6762 §8.2: the lexicographically later record set wins a simultaneous probe.</summary>
public sealed class ProbeTieBreakTests
{
    private static readonly DnsName Host = DnsName.Parse("host.local");

    private static DnsRecord A(string address) => new(Host, DnsRecordType.A, true, 120, new AddressData(IPAddress.Parse(address)));

    [Fact]
    public void Rdata_bytes_decide_between_records_of_one_type()
    {
        Assert.True(ProbeTieBreak.Compare([A("169.254.200.50")], [A("169.254.99.200")]) > 0);
        Assert.True(ProbeTieBreak.Compare([A("169.254.99.200")], [A("169.254.200.50")]) < 0);
    }

    [Fact]
    public void The_type_decides_before_the_rdata_and_order_in_the_packet_does_not_matter()
    {
        var aaaa = new DnsRecord(Host, DnsRecordType.AAAA, true, 120, new AddressData(IPAddress.Parse("::1")));
        Assert.True(ProbeTieBreak.Compare([aaaa], [A("255.255.255.255")]) > 0);
        Assert.Equal(0, ProbeTieBreak.Compare([A("10.0.0.1"), aaaa], [aaaa, A("10.0.0.1")]));
    }

    [Fact]
    public void Identical_sets_are_no_conflict_and_a_longer_set_wins_over_its_prefix()
    {
        Assert.Equal(0, ProbeTieBreak.Compare([A("10.0.0.1")], [A("10.0.0.1") with { Ttl = 1, CacheFlush = false }]));
        Assert.True(ProbeTieBreak.Compare([A("10.0.0.1"), A("10.0.0.2")], [A("10.0.0.1")]) > 0);
        Assert.True(ProbeTieBreak.Compare([A("10.0.0.1")], [A("10.0.0.1"), A("10.0.0.2")]) < 0);
    }

    [Fact]
    public void The_comparison_is_antisymmetric_for_seeded_random_sets()
    {
        const int seed = 4242;
        var random = new Random(seed);
        for (var i = 0; i < 500; i++)
        {
            var left = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => A($"10.0.{random.Next(3)}.{random.Next(3)}")).ToList();
            var right = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => A($"10.0.{random.Next(3)}.{random.Next(3)}")).ToList();
            Assert.True(
                Math.Sign(ProbeTieBreak.Compare(left, right)) == -Math.Sign(ProbeTieBreak.Compare(right, left)),
                $"seed {seed}, case {i}: {string.Join(",", left.Select(r => r.Data))} vs {string.Join(",", right.Select(r => r.Data))}");
        }
    }

    [Fact]
    public void Srv_rdata_compares_priority_weight_port_then_target()
    {
        DnsRecord Srv(ushort port, string target) => new(Host, DnsRecordType.SRV, true, 120, new SrvData(0, 0, port, DnsName.Parse(target)));
        Assert.True(ProbeTieBreak.Compare([Srv(7071, "a.local")], [Srv(7070, "z.local")]) > 0);
        Assert.True(ProbeTieBreak.Compare([Srv(7070, "b.local")], [Srv(7070, "a.local")]) > 0);
    }
}
