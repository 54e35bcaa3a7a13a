using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Node.Discovery.Mdns;
using P2PSync.Node.Discovery.Mdns.Wire;
using P2PSync.Node.Tests.Security;

namespace P2PSync.Node.Tests.Discovery.Mdns;

/// <summary>The responder's rules one by one (RFC 6762 §6-§10), observed on the in-memory wire.</summary>
public sealed class MdnsResponderTests
{
    private const string DeviceA = "AAAAAAAAAAAAAAAAAAAAAAAAAA";
    private static readonly DnsName Service = MdnsNames.P2PSyncService;
    private static readonly DnsName Instance = DnsName.FromLabels("Alice", "_p2psync", "_tcp", "local");
    private static readonly DnsName Host = DnsName.Parse("p2psync-aaaaaaaaaa.local");

    /// <summary>A LAN with alice's responder established (after 5 s) and a bare host "q" to send hand-made packets from.</summary>
    private static (InMemoryMdnsLan Lan, LanHost Alice, LanHost Querier) Established(int seed = 7, bool ipv6 = false)
    {
        var lan = new InMemoryMdnsLan(seed);
        var alice = lan.AddHost("alice", 1, ipv6);
        var querier = lan.AddHost("q", 9);
        alice.AttachResponder(TestProfiles.Node("Alice", DeviceA, 7070));
        lan.Start(alice);
        lan.RunFor(TimeSpan.FromSeconds(5));
        Assert.Equal(ResponderPhase.Established, alice.Responder!.PhaseOn(2));
        return (lan, alice, querier);
    }

    private static void Ask(InMemoryMdnsLan lan, LanHost from, DnsMessage query, int port = MdnsNames.Port) =>
        lan.SendFrom(from, new IPEndPoint(from.Ipv4, port), query, InMemoryMdnsLan.Multicast4());

    private static DnsMessage Query(DnsName name, DnsRecordType type, bool qu = false, params DnsRecord[] known) =>
        DnsMessage.Query([new DnsQuestion(name, type, qu)], known);

    private static IReadOnlyList<WirePacket> Replies(InMemoryMdnsLan lan, DateTimeOffset since) =>
        lan.SentSince(since, p => p.Sender == "alice" && p.Message.IsResponse);

    [Fact]
    public void Probes_three_times_250_ms_apart_then_announces_twice_one_second_apart()
    {
        var lan = new InMemoryMdnsLan(3);
        var alice = lan.AddHost("alice", 1, ipv6: true);
        alice.AttachResponder(TestProfiles.Node("Alice", DeviceA, 7070));
        lan.Start(alice);
        lan.RunFor(TimeSpan.FromSeconds(5));

        var v4 = lan.Wire.Where(p => p.Destination.Family == AddressFamily.InterNetwork).ToList();
        var probes = v4.Where(p => !p.Message.IsResponse).ToList();
        Assert.Equal(3, probes.Count);
        Assert.InRange(probes[0].At - lan.Started, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
        Assert.Equal(TimeSpan.FromMilliseconds(250), probes[1].At - probes[0].At);
        Assert.Equal(TimeSpan.FromMilliseconds(250), probes[2].At - probes[1].At);
        Assert.All(probes[0].Message.Questions, q => Assert.True(q.UnicastResponse));
        Assert.All(probes.Skip(1).SelectMany(p => p.Message.Questions), q => Assert.False(q.UnicastResponse));
        Assert.Equal([Instance, Host], probes[0].Message.Questions.Select(q => q.Name));
        Assert.All(probes[0].Message.Questions, q => Assert.Equal(DnsRecordType.ANY, q.Type));
        Assert.Equal(
            [DnsRecordType.SRV, DnsRecordType.TXT, DnsRecordType.A, DnsRecordType.AAAA],
            probes[0].Message.Authorities.Select(r => r.Type));

        var announcements = v4.Where(p => p.Message.IsResponse).ToList();
        Assert.Equal(2, announcements.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(250), announcements[0].At - probes[2].At);
        Assert.Equal(TimeSpan.FromSeconds(1), announcements[1].At - announcements[0].At);
        var records = announcements[0].Message.Answers;
        Assert.All(records.Where(r => r.Type == DnsRecordType.PTR), r => Assert.False(r.CacheFlush));
        Assert.All(records.Where(r => r.Type != DnsRecordType.PTR), r => Assert.True(r.CacheFlush));
        Assert.Equal(4500u, records.Single(r => r.Type == DnsRecordType.TXT).Ttl);
        Assert.Equal(120u, records.Single(r => r.Type == DnsRecordType.SRV).Ttl);
        Assert.Equal(120u, records.Single(r => r.Type == DnsRecordType.A).Ttl);
        Assert.Contains(records, r => r.Name.Equals(MdnsNames.ServiceEnumeration) && r.Data.Equals(new PtrData(Service)));

        // The same went to the IPv6 group.
        Assert.Equal(5, lan.Wire.Count(p => p.Destination.Family == AddressFamily.InterNetworkV6));
    }

    [Fact]
    public void Answers_nothing_while_probing()
    {
        var lan = new InMemoryMdnsLan(4);
        var alice = lan.AddHost("alice", 1);
        var querier = lan.AddHost("q", 9);
        alice.AttachResponder(TestProfiles.Node("Alice", DeviceA, 7070));
        lan.Start(alice);
        lan.RunUntil(() => lan.Wire.Count == 1, TimeSpan.FromSeconds(1));

        var since = lan.Now;
        Ask(lan, querier, Query(Service, DnsRecordType.PTR));
        lan.RunFor(TimeSpan.FromMilliseconds(200));

        Assert.Empty(Replies(lan, since));
    }

    [Fact]
    public void A_ptr_question_is_answered_after_20_to_120_ms_with_srv_txt_and_addresses_as_additionals()
    {
        var (lan, _, querier) = Established(ipv6: true);
        var since = lan.Now;
        Ask(lan, querier, Query(Service, DnsRecordType.PTR));
        lan.RunFor(TimeSpan.FromSeconds(1));

        var reply = Assert.Single(Replies(lan, since));
        Assert.InRange(reply.At - since, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(121));
        Assert.Null(reply.Destination.Unicast);
        var answer = Assert.Single(reply.Message.Answers);
        Assert.Equal(new PtrData(Instance), answer.Data);
        Assert.Equal(
            [DnsRecordType.SRV, DnsRecordType.TXT, DnsRecordType.A, DnsRecordType.AAAA],
            reply.Message.Additionals.Select(r => r.Type));
        Assert.Equal(0, reply.Message.Id);
        Assert.Empty(reply.Message.Questions);
    }

    [Fact]
    public void A_unique_record_is_answered_at_once()
    {
        var (lan, _, querier) = Established();
        var since = lan.Now;
        Ask(lan, querier, Query(Instance, DnsRecordType.SRV));
        lan.RunFor(TimeSpan.FromSeconds(1));

        var reply = Assert.Single(Replies(lan, since));
        Assert.True(reply.At - since < TimeSpan.FromMilliseconds(1));
        Assert.Equal(DnsRecordType.SRV, Assert.Single(reply.Message.Answers).Type);
        Assert.Equal(DnsRecordType.A, Assert.Single(reply.Message.Additionals).Type);
    }

    [Fact]
    public void Known_answers_with_at_least_half_the_ttl_suppress_the_answer()
    {
        var (lan, _, querier) = Established();
        var ptr = new DnsRecord(Service, DnsRecordType.PTR, false, 4500, new PtrData(Instance));

        var since = lan.Now;
        Ask(lan, querier, Query(Service, DnsRecordType.PTR, false, ptr with { Ttl = 2250 }));
        lan.RunFor(TimeSpan.FromSeconds(2));
        Assert.Empty(Replies(lan, since));

        since = lan.Now;
        Ask(lan, querier, Query(Service, DnsRecordType.PTR, false, ptr with { Ttl = 2249 }));
        lan.RunFor(TimeSpan.FromSeconds(2));
        Assert.Single(Replies(lan, since));
    }

    [Fact]
    public void A_known_answer_also_keeps_its_record_out_of_the_additionals()
    {
        var (lan, _, querier) = Established();
        var srv = new DnsRecord(Instance, DnsRecordType.SRV, false, 120, new SrvData(0, 0, 7070, Host));

        var since = lan.Now;
        Ask(lan, querier, Query(Service, DnsRecordType.PTR, false, srv));
        lan.RunFor(TimeSpan.FromSeconds(1));

        var reply = Assert.Single(Replies(lan, since));
        Assert.DoesNotContain(reply.Message.Additionals, r => r.Type == DnsRecordType.SRV);
        Assert.Contains(reply.Message.Additionals, r => r.Type == DnsRecordType.TXT);
    }

    [Fact]
    public void A_queued_shared_answer_is_dropped_when_another_host_sends_it_first()
    {
        var (lan, _, querier) = Established();
        var ptr = new DnsRecord(Service, DnsRecordType.PTR, false, 4500, new PtrData(Instance));
        var since = lan.Now;
        Ask(lan, querier, Query(Service, DnsRecordType.PTR));
        lan.RunFor(TimeSpan.FromMilliseconds(5));
        lan.SendFrom(querier, new IPEndPoint(querier.Ipv4, MdnsNames.Port), DnsMessage.Response([ptr]), InMemoryMdnsLan.Multicast4());
        lan.RunFor(TimeSpan.FromSeconds(1));

        Assert.Empty(Replies(lan, since));
    }

    [Fact]
    public void A_truncated_query_waits_400_to_500_ms_for_the_rest_of_its_known_answers()
    {
        var (lan, _, querier) = Established();
        var ptr = new DnsRecord(Service, DnsRecordType.PTR, false, 4500, new PtrData(Instance));
        var truncated = Query(Service, DnsRecordType.PTR) with { Flags = DnsFlags.Truncated };

        var since = lan.Now;
        Ask(lan, querier, truncated);
        lan.RunFor(TimeSpan.FromSeconds(1));
        var reply = Assert.Single(Replies(lan, since));
        Assert.InRange(reply.At - since, TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(501));

        // The continuation lists our PTR: nothing goes out.
        lan.RunFor(TimeSpan.FromSeconds(2));
        since = lan.Now;
        Ask(lan, querier, truncated);
        lan.RunFor(TimeSpan.FromMilliseconds(10));
        Ask(lan, querier, DnsMessage.Query([], [ptr]));
        lan.RunFor(TimeSpan.FromSeconds(1));
        Assert.Empty(Replies(lan, since));
    }

    [Fact]
    public void A_qu_question_gets_unicast_when_the_record_was_multicast_within_a_quarter_ttl_and_multicast_otherwise()
    {
        var (lan, _, querier) = Established();

        var since = lan.Now;
        Ask(lan, querier, Query(Instance, DnsRecordType.SRV, qu: true));
        lan.RunFor(TimeSpan.FromSeconds(1));
        var reply = Assert.Single(Replies(lan, since));
        Assert.Equal(new IPEndPoint(querier.Ipv4, MdnsNames.Port), reply.Destination.Unicast);

        // SRV has 120 s: after 30 s without a multicast of it, the answer refreshes everyone's cache.
        lan.RunFor(TimeSpan.FromSeconds(31));
        since = lan.Now;
        Ask(lan, querier, Query(Instance, DnsRecordType.SRV, qu: true));
        lan.RunFor(TimeSpan.FromSeconds(1));
        reply = Assert.Single(Replies(lan, since));
        Assert.Null(reply.Destination.Unicast);
    }

    [Fact]
    public void A_record_is_multicast_at_most_once_a_second()
    {
        var (lan, _, querier) = Established();
        var first = lan.Now;
        Ask(lan, querier, Query(Instance, DnsRecordType.SRV));
        lan.RunFor(TimeSpan.FromMilliseconds(200));
        Ask(lan, querier, Query(Instance, DnsRecordType.SRV));
        lan.RunFor(TimeSpan.FromSeconds(2));

        var replies = Replies(lan, first);
        Assert.Equal(2, replies.Count);
        Assert.Equal(TimeSpan.FromSeconds(1), replies[1].At - replies[0].At);
    }

    [Fact]
    public void A_legacy_query_gets_a_unicast_reply_with_its_id_its_questions_and_ttls_of_at_most_ten_seconds()
    {
        var (lan, _, querier) = Established();
        var query = new DnsMessage(0x1234, DnsFlags.None, [new DnsQuestion(Service, DnsRecordType.PTR, false)], [], [], []);
        lan.SendFrom(querier, new IPEndPoint(querier.Ipv4, 40000), query, InMemoryMdnsLan.Multicast4());
        lan.RunFor(TimeSpan.FromSeconds(1));

        var (reply, source, port) = Assert.Single(querier.LegacyInbox);
        Assert.Equal(40000, port);
        Assert.Equal(MdnsNames.Port, source.Port);
        Assert.Equal(0x1234, reply.Id);
        Assert.True(reply.IsResponse);
        Assert.Equal(query.Questions, reply.Questions);
        Assert.Equal(new PtrData(Instance), Assert.Single(reply.Answers).Data);
        Assert.All(reply.Answers.Concat(reply.Additionals), r => Assert.True(r.Ttl <= 10 && !r.CacheFlush));
        Assert.Contains(reply.Additionals, r => r.Type == DnsRecordType.SRV);
    }

    [Fact]
    public void Queries_with_another_opcode_and_responses_from_another_port_are_ignored()
    {
        var (lan, alice, querier) = Established();
        var since = lan.Now;
        Ask(lan, querier, Query(Instance, DnsRecordType.SRV) with { Flags = (DnsFlags)(2 << 11) });
        lan.RunFor(TimeSpan.FromSeconds(1));
        Assert.Empty(Replies(lan, since));

        // A "conflicting" response from a non-mDNS port is no conflict.
        var bogus = DnsMessage.Response([new DnsRecord(Instance, DnsRecordType.SRV, true, 120, new SrvData(0, 0, 1, Host))]);
        lan.SendFrom(querier, new IPEndPoint(querier.Ipv4, 40000), bogus, InMemoryMdnsLan.Multicast4());
        lan.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(ResponderPhase.Established, alice.Responder!.PhaseOn(2));
    }

    [Fact]
    public void A_query_over_a_family_the_interface_has_no_address_of_is_not_answered()
    {
        var (_, alice, _) = Established();
        var query = Query(Service, DnsRecordType.PTR);
        var output = alice.Responder!.OnPacket(query, new IPEndPoint(IPAddress.Parse("fe80::9"), MdnsNames.Port), 2);
        Assert.Empty(output);
        Assert.Null(alice.Responder.NextWakeUp);
    }

    [Fact]
    public void A_conflicting_response_while_probing_renames_the_instance_and_probes_again()
    {
        var lan = new InMemoryMdnsLan(5);
        var alice = lan.AddHost("alice", 1);
        var other = lan.AddHost("other", 9);
        var renamed = new List<string>();
        alice.AttachResponder(TestProfiles.Node("Alice", DeviceA, 7070)).Renamed += renamed.Add;
        lan.Start(alice);
        lan.RunUntil(() => lan.Wire.Count == 1, TimeSpan.FromSeconds(1));

        var theirs = new DnsRecord(Instance, DnsRecordType.TXT, true, 4500, TxtData.FromPairs([new("id", "someone else")]));
        lan.SendFrom(other, new IPEndPoint(other.Ipv4, MdnsNames.Port), DnsMessage.Response([theirs]), InMemoryMdnsLan.Multicast4());
        lan.RunFor(TimeSpan.FromSeconds(4));

        Assert.Equal(["Alice (2)"], renamed);
        Assert.Equal("Alice (2)._p2psync._tcp.local", alice.Responder!.InstanceFullName.ToString());
        Assert.Equal(ResponderPhase.Established, alice.Responder.PhaseOn(2));
        Assert.All(
            lan.SentSince(lan.Started, p => p.Sender == "alice" && p.Message.IsResponse),
            p => Assert.Contains(p.Message.Answers, r => r.Data.Equals(new PtrData(alice.Responder.InstanceFullName))));
    }

    [Fact]
    public void A_host_name_conflict_while_probing_renames_the_host()
    {
        var lan = new InMemoryMdnsLan(6);
        var alice = lan.AddHost("alice", 1);
        var other = lan.AddHost("other", 9);
        alice.AttachResponder(TestProfiles.Node("Alice", DeviceA, 7070));
        lan.Start(alice);
        lan.RunUntil(() => lan.Wire.Count == 1, TimeSpan.FromSeconds(1));

        var theirs = new DnsRecord(Host, DnsRecordType.A, true, 120, new AddressData(IPAddress.Parse("10.0.0.9")));
        lan.SendFrom(other, new IPEndPoint(other.Ipv4, MdnsNames.Port), DnsMessage.Response([theirs]), InMemoryMdnsLan.Multicast4());
        lan.RunFor(TimeSpan.FromSeconds(4));

        Assert.Equal("p2psync-aaaaaaaaaa-2.local", alice.Responder!.HostName.ToString());
        Assert.Equal("Alice", alice.Responder.InstanceName);
        var srv = lan.Wire.Last(p => p.Sender == "alice").Message.Answers.Single(r => r.Type == DnsRecordType.SRV);
        Assert.Equal(alice.Responder.HostName, ((SrvData)srv.Data).Target);
    }

    [Fact]
    public void A_conflict_once_established_sends_the_responder_back_to_probing_and_it_keeps_an_undefended_name()
    {
        var (lan, alice, other) = Established();
        var theirs = new DnsRecord(Instance, DnsRecordType.SRV, true, 120, new SrvData(0, 0, 1234, DnsName.Parse("elsewhere.local")));
        lan.SendFrom(other, new IPEndPoint(other.Ipv4, MdnsNames.Port), DnsMessage.Response([theirs]), InMemoryMdnsLan.Multicast4());
        lan.RunFor(TimeSpan.FromMilliseconds(1));
        Assert.Equal(ResponderPhase.WaitingToProbe, alice.Responder!.PhaseOn(2));

        lan.RunFor(TimeSpan.FromSeconds(4));
        Assert.Equal("Alice", alice.Responder.InstanceName);
        Assert.Equal(ResponderPhase.Established, alice.Responder.PhaseOn(2));
    }

    [Fact]
    public void Our_own_records_coming_back_are_no_conflict()
    {
        var (lan, alice, _) = Established();
        var announcement = lan.Wire.First(p => p.Sender == "alice" && p.Message.IsResponse);
        lan.SendFrom(alice, announcement.Source, announcement.Message, InMemoryMdnsLan.Multicast4());
        lan.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(ResponderPhase.Established, alice.Responder!.PhaseOn(2));
    }

    [Theory]
    [InlineData(9999, true)]
    [InlineData(1, false)]
    public void A_simultaneous_probe_with_later_data_makes_us_wait_a_second_and_earlier_data_does_not(ushort theirPort, bool weDefer)
    {
        var lan = new InMemoryMdnsLan(8);
        var alice = lan.AddHost("alice", 1);
        var other = lan.AddHost("other", 9);
        alice.AttachResponder(TestProfiles.Node("Alice", DeviceA, 7070));
        lan.Start(alice);
        lan.RunUntil(() => lan.Wire.Count == 1, TimeSpan.FromSeconds(1));

        // Both propose SRV and TXT (as our nodes do); with equal TXT the SRV decides, and 7070 sits between 1 and 9999.
        var theirSrv = new DnsRecord(Instance, DnsRecordType.SRV, false, 120, new SrvData(0, 0, theirPort, Host));
        var sameTxt = new DnsRecord(Instance, DnsRecordType.TXT, false, 4500, ResponderRecordSet.TxtOf(TestProfiles.Node("Alice", DeviceA, 7070).Txt));
        var probe = new DnsMessage(0, DnsFlags.None, [new DnsQuestion(Instance, DnsRecordType.ANY, true)], [], [theirSrv, sameTxt], []);
        lan.SendFrom(other, new IPEndPoint(other.Ipv4, MdnsNames.Port), probe, InMemoryMdnsLan.Multicast4());
        lan.RunFor(TimeSpan.FromMilliseconds(1));

        Assert.Equal(weDefer ? ResponderPhase.WaitingToProbe : ResponderPhase.Probing, alice.Responder!.PhaseOn(2));
        lan.RunFor(TimeSpan.FromSeconds(4));
        Assert.Equal(ResponderPhase.Established, alice.Responder.PhaseOn(2));
        Assert.Equal("Alice", alice.Responder.InstanceName);
        Assert.Equal(weDefer ? 4 : 3, lan.Wire.Count(p => p.Sender == "alice" && p.Message.Authorities.Count > 0));
    }

    [Fact]
    public void An_established_responder_defends_its_name_against_a_probe_by_unicast_at_once()
    {
        var (lan, _, other) = Established();
        var theirSrv = new DnsRecord(Instance, DnsRecordType.SRV, false, 120, new SrvData(0, 0, 1, DnsName.Parse("x.local")));
        var probe = new DnsMessage(0, DnsFlags.None, [new DnsQuestion(Instance, DnsRecordType.ANY, true)], [], [theirSrv], []);
        var since = lan.Now;
        lan.SendFrom(other, new IPEndPoint(other.Ipv4, MdnsNames.Port), probe, InMemoryMdnsLan.Multicast4());
        lan.RunFor(TimeSpan.FromMilliseconds(5));

        var defence = Replies(lan, since);
        var unicast = Assert.Single(defence, p => p.Destination.Unicast is not null);
        Assert.Equal([DnsRecordType.SRV, DnsRecordType.TXT], unicast.Message.Answers.Select(r => r.Type));
    }

    [Fact]
    public void Fifteen_conflicts_within_ten_seconds_slow_probing_to_one_series_per_five_seconds()
    {
        var lan = new InMemoryMdnsLan(9);
        var alice = lan.AddHost("alice", 1);
        var other = lan.AddHost("other", 9);
        alice.AttachResponder(TestProfiles.Node("Alice", DeviceA, 7070));
        lan.Start(alice);
        for (var i = 0; i < 15; i++)
        {
            lan.RunUntil(() => alice.Responder!.PhaseOn(2) == ResponderPhase.Probing, TimeSpan.FromSeconds(10));
            var name = alice.Responder!.InstanceFullName;
            var theirs = new DnsRecord(name, DnsRecordType.TXT, true, 4500, TxtData.FromPairs([new("n", i.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
            lan.SendFrom(other, new IPEndPoint(other.Ipv4, MdnsNames.Port), DnsMessage.Response([theirs]), InMemoryMdnsLan.Multicast4());
            lan.RunFor(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal("Alice (16)", alice.Responder!.InstanceName);
        var renamedAt = lan.Now;
        lan.RunUntil(() => alice.Responder.PhaseOn(2) == ResponderPhase.Probing, TimeSpan.FromSeconds(10));
        Assert.InRange(lan.Now - renamedAt, TimeSpan.FromSeconds(4.99), TimeSpan.FromSeconds(5.01));
    }

    [Fact]
    public void Stop_says_goodbye_to_every_record_and_leaves_the_responder_inert()
    {
        var (lan, alice, querier) = Established(ipv6: true);
        var goodbyes = alice.Responder!.Stop();

        Assert.Equal(2, goodbyes.Count);
        var records = goodbyes[0].Message.Answers;
        Assert.Equal(6, records.Count);
        Assert.All(records, r => Assert.Equal(0u, r.Ttl));
        Assert.Null(alice.Responder.NextWakeUp);

        var since = lan.Now;
        Ask(lan, querier, Query(Service, DnsRecordType.PTR));
        lan.RunFor(TimeSpan.FromSeconds(1));
        Assert.Empty(Replies(lan, since));
        Assert.Throws<InvalidOperationException>(() => alice.Responder.Start());
    }

    [Fact]
    public void New_addresses_are_announced_with_a_goodbye_for_the_old_ones_in_the_same_message()
    {
        var (lan, alice, _) = Established();
        var moved = alice.Interface with { Addresses = [IPAddress.Parse("10.0.0.77")] };
        var output = alice.Responder!.SetInterfaces([moved]);

        var message = Assert.Single(output).Message;
        Assert.Contains(message.Answers, r => r.Ttl == 0 && r.Data.Equals(new AddressData(IPAddress.Parse("10.0.0.1"))));
        Assert.Contains(message.Answers, r => r.Ttl == 120 && r.Data.Equals(new AddressData(IPAddress.Parse("10.0.0.77"))));
        Assert.Equal(ResponderPhase.Announcing, alice.Responder.PhaseOn(2));
    }

    [Fact]
    public void An_interface_renamed_with_the_same_addresses_sends_nothing()
    {
        var (_, alice, _) = Established();
        Assert.Empty(alice.Responder!.SetInterfaces([alice.Interface with { Name = "enp0s3" }]));
        Assert.Equal(ResponderPhase.Established, alice.Responder.PhaseOn(2));
    }

    [Fact]
    public void Bad_interface_lists_and_profiles_are_refused_without_changing_anything()
    {
        var time = new ManualTimeProvider();
        var responder = new MdnsResponder(TestProfiles.Node("Alice", DeviceA, 7070), time, new Random(1), NullLogger.Instance);
        var eth = new MdnsInterface(2, "eth0", [IPAddress.Parse("10.0.0.1")]);
        responder.SetInterfaces([eth]);

        Assert.Throws<ArgumentException>(() => responder.SetInterfaces([eth, eth with { Name = "dup" }]));
        Assert.Throws<ArgumentException>(() => responder.SetInterfaces([eth, null!]));
        Assert.Throws<ArgumentException>(() => responder.SetInterfaces([new MdnsInterface(3, "x", [IPAddress.Parse("10.0.0.2"), null!])]));
        Assert.Equal(ResponderPhase.Idle, responder.PhaseOn(2));
        Assert.Null(responder.PhaseOn(3));

        var good = TestProfiles.Node("Alice", DeviceA, 7070);
        Assert.Throws<ArgumentException>(() => new MdnsResponder(good with { InstanceName = " " }, time, new Random(1), NullLogger.Instance));
        Assert.Throws<ArgumentException>(() => new MdnsResponder(good with { HostLabel = "a.b" }, time, new Random(1), NullLogger.Instance));
        Assert.Throws<ArgumentException>(() => new MdnsResponder(good with { HostLabel = new string('h', 64) }, time, new Random(1), NullLogger.Instance));
        Assert.Throws<ArgumentException>(() => new MdnsResponder(good with { InstanceName = "bad \ud800" }, time, new Random(1), NullLogger.Instance));
        Assert.Throws<ArgumentException>(() => new MdnsResponder(good with { Txt = new Dictionary<string, string> { ["k=v"] = "1" } }, time, new Random(1), NullLogger.Instance));
        Assert.Throws<ArgumentException>(() => new MdnsResponder(good with { Txt = new Dictionary<string, string> { ["k"] = new string('v', 300) } }, time, new Random(1), NullLogger.Instance));
        Assert.Throws<ArgumentException>(() => responder.UpdateProfile(good with { InstanceName = "" }));
        Assert.Equal("Alice", responder.InstanceName);
    }

    [Fact]
    public void A_long_device_name_is_cut_on_a_code_point_boundary_and_still_fits_with_a_suffix()
    {
        var name = string.Concat(Enumerable.Repeat("日本", 20));
        var time = new ManualTimeProvider();
        var responder = new MdnsResponder(TestProfiles.Node(name, DeviceA, 7070), time, new Random(1), NullLogger.Instance);

        Assert.Equal(new string(name.Take(21).ToArray()), responder.InstanceName);
        Assert.Equal(new string(name.Take(19).ToArray()) + " (2)", InstanceNaming.Instance(name, 2));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(InstanceNaming.Instance(name, 10)) <= 63);
    }
}
