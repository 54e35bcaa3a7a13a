using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Node.Discovery.Mdns;
using P2PSync.Node.Discovery.Mdns.Wire;
using P2PSync.Node.Tests.Security;

namespace P2PSync.Node.Tests.Discovery.Mdns;

/// <summary>The browser's rules one by one (RFC 6762 §5.2, §7.1, §10), driven by hand-made responses and a manual clock.</summary>
public sealed class MdnsBrowserTests
{
    private static readonly DnsName Service = MdnsNames.P2PSyncService;
    private static readonly DnsName Instance = DnsName.FromLabels("Bob", "_p2psync", "_tcp", "local");
    private static readonly DnsName Host = DnsName.Parse("p2psync-bbbbbbbbbb.local");
    private static readonly IPEndPoint Responder = new(IPAddress.Parse("10.0.0.2"), MdnsNames.Port);
    private static readonly MdnsInterface Eth = new(2, "eth0", [IPAddress.Parse("10.0.0.1")]);

    private static readonly DnsRecord Ptr = new(Service, DnsRecordType.PTR, false, 4500, new PtrData(Instance));
    private static readonly DnsRecord Srv = new(Instance, DnsRecordType.SRV, true, 120, new SrvData(0, 0, 7070, Host));
    private static readonly DnsRecord Txt = new(Instance, DnsRecordType.TXT, true, 4500, TxtData.FromPairs([new("id", "BBBB"), new("proto", "1")]));
    private static readonly DnsRecord A = new(Host, DnsRecordType.A, true, 120, new AddressData(IPAddress.Parse("10.0.0.2")));

    private sealed class Harness
    {
        public Harness(int seed = 1)
        {
            Browser = new MdnsBrowser(Service, Time, new Random(seed), NullLogger.Instance);
            Browser.Found += s => Events.Add(("found", s));
            Browser.Updated += s => Events.Add(("updated", s));
            Browser.Lost += s => Events.Add(("lost", s));
            Browser.SetInterfaces([Eth]);
            Sent.AddRange(Browser.Start());
        }

        public ManualTimeProvider Time { get; } = new();

        public MdnsBrowser Browser { get; }

        public List<(string Kind, DiscoveredService Service)> Events { get; } = [];

        /// <summary>Every packet with the clock time it was returned at.</summary>
        public List<(TimeSpan At, MdnsPacket Packet)> Timeline { get; } = [];

        public List<MdnsPacket> Sent { get; } = [];

        public DateTimeOffset Origin { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public void Receive(params DnsRecord[] records) => Record(Browser.OnPacket(DnsMessage.Response(records), Responder, Eth.Index));

        /// <summary>Moves the clock wake-up by wake-up up to <paramref name="span"/> later, polling each time.</summary>
        public void Run(TimeSpan span)
        {
            var end = Time.GetUtcNow() + span;
            while (Browser.NextWakeUp is { } wake && wake <= end)
            {
                if (wake > Time.GetUtcNow())
                {
                    Time.Advance(wake - Time.GetUtcNow());
                }

                Record(Browser.Poll());
            }

            Time.Advance(end - Time.GetUtcNow());
        }

        public List<(TimeSpan At, DnsMessage Query)> Queries => Timeline.Select(t => (t.At, t.Packet.Message)).ToList();

        private void Record(IReadOnlyList<MdnsPacket> packets)
        {
            foreach (var packet in packets)
            {
                Sent.Add(packet);
                Timeline.Add((Time.GetUtcNow() - Origin, packet));
            }
        }
    }

    [Fact]
    public void Queries_first_after_20_to_120_ms_then_at_1_2_4_8_second_gaps()
    {
        var h = new Harness();
        h.Run(TimeSpan.FromSeconds(40));

        var times = h.Queries.Where(q => q.Query.Questions.Any(x => x.Name.Equals(Service))).Select(q => q.At).ToList();
        Assert.InRange(times[0], TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(120));
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
        Assert.Equal([1, 2, 4, 8, 16], gaps.Select(g => g.TotalSeconds));
        Assert.All(h.Queries, q => Assert.Equal(DnsRecordType.PTR, Assert.Single(q.Query.Questions).Type));
        Assert.All(h.Queries, q => Assert.False(q.Query.IsResponse));
    }

    [Fact]
    public void The_query_interval_stops_doubling_at_an_hour()
    {
        var h = new Harness();
        h.Run(TimeSpan.FromHours(5));

        var times = h.Queries.Select(q => q.At).ToList();
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
        Assert.Equal(TimeSpan.FromHours(1), gaps.Max());
        Assert.Equal(TimeSpan.FromHours(1), gaps[^1]);
        Assert.Equal(TimeSpan.FromHours(1), gaps[^2]);
    }

    [Fact]
    public void Found_fires_only_once_srv_txt_and_an_address_are_known()
    {
        var h = new Harness();
        h.Receive(Ptr);
        h.Receive(Srv);
        h.Receive(Txt);
        Assert.Empty(h.Events);

        h.Receive(A);
        var (kind, service) = Assert.Single(h.Events);
        Assert.Equal("found", kind);
        Assert.Equal("Bob", service.InstanceName);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 7070), Assert.Single(service.Endpoints));
        Assert.Equal("BBBB", service.Txt["ID"]);
        Assert.Single(h.Browser.Services);
    }

    [Fact]
    public void Records_in_one_packet_may_come_in_any_order()
    {
        var h = new Harness();
        h.Receive(A, Txt, Srv, Ptr);
        Assert.Equal("found", Assert.Single(h.Events).Kind);
    }

    [Fact]
    public void A_pointer_alone_makes_the_browser_ask_for_srv_and_txt_then_for_the_address()
    {
        var h = new Harness();
        h.Receive(Ptr);
        h.Run(TimeSpan.FromMilliseconds(200));
        var asked = h.Queries.SelectMany(q => q.Query.Questions).ToList();
        Assert.Contains(new DnsQuestion(Instance, DnsRecordType.SRV, false), asked);
        Assert.Contains(new DnsQuestion(Instance, DnsRecordType.TXT, false), asked);

        h.Receive(Srv, Txt);
        h.Run(TimeSpan.FromMilliseconds(200));
        asked = h.Queries.SelectMany(q => q.Query.Questions).ToList();
        Assert.Contains(new DnsQuestion(Host, DnsRecordType.A, false), asked);
        Assert.Contains(new DnsQuestion(Host, DnsRecordType.AAAA, false), asked);

        // Unanswered, the question is repeated with a doubling gap; answered, it stops.
        h.Run(TimeSpan.FromSeconds(10));
        var times = h.Queries.Where(q => q.Query.Questions.Any(x => x.Name.Equals(Host))).Select(q => q.At).ToList();
        var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        Assert.Equal([1, 2, 4], gaps.Take(3));
        var before = times.Count;
        h.Receive(A);
        h.Run(TimeSpan.FromSeconds(60));
        Assert.Equal(before, h.Queries.Count(q => q.Query.Questions.Any(x => x.Name.Equals(Host))));
    }

    [Fact]
    public void Known_answers_are_the_cached_records_with_more_than_half_their_ttl_left_at_their_remaining_ttl()
    {
        var h = new Harness();
        h.Run(TimeSpan.FromMilliseconds(150));
        h.Receive(Ptr, Srv, Txt, A);
        var other = new DnsRecord(Service, DnsRecordType.PTR, false, 100, new PtrData(Service.Prepend("Short")));
        h.Receive(other);

        // Next PTR query after ~1 s: both PTRs listed, TTLs counted down.
        h.Run(TimeSpan.FromSeconds(1));
        var known = LastPtrQuery(h).Answers;
        Assert.Equal(2, known.Count);
        Assert.InRange(known.Single(r => r.Data.Equals(Ptr.Data)).Ttl, 4497u, 4499u);

        // The PTR query at ~64 s: the 100 s record has less than half left and is no longer listed.
        h.Run(TimeSpan.FromSeconds(70));
        known = LastPtrQuery(h).Answers;
        Assert.Equal(Ptr.Data, Assert.Single(known).Data);
        Assert.All(known, r => Assert.False(r.CacheFlush));
    }

    private static DnsMessage LastPtrQuery(Harness h) =>
        h.Queries.Last(q => q.Query.Questions.Any(x => x.Type == DnsRecordType.PTR)).Query;

    [Fact]
    public void Refresh_queries_go_out_at_80_85_90_and_95_percent_of_the_ttl_plus_up_to_2_percent()
    {
        var h = new Harness();
        h.Run(TimeSpan.FromMilliseconds(150));
        var received = h.Time.GetUtcNow() - h.Origin;
        h.Receive(Ptr, Srv, Txt, A);
        h.Run(TimeSpan.FromSeconds(130));

        var refreshes = h.Queries.Where(q => q.Query.Questions.Any(x => x.Name.Equals(Host) && x.Type == DnsRecordType.A))
            .Select(q => (q.At - received).TotalSeconds / 120).ToList();
        Assert.Equal(4, refreshes.Count);
        Assert.InRange(refreshes[0], 0.80, 0.82);
        Assert.InRange(refreshes[1], 0.85, 0.87);
        Assert.InRange(refreshes[2], 0.90, 0.92);
        Assert.InRange(refreshes[3], 0.95, 0.97);

        // Unanswered, the service goes when SRV and A expire at 100 %.
        var lost = Assert.Single(h.Events, e => e.Kind == "lost");
        Assert.Equal("Bob", lost.Service.InstanceName);
    }

    [Fact]
    public void A_cache_flush_expires_older_records_of_that_name_and_type_one_second_later_but_not_those_from_the_same_burst()
    {
        var h = new Harness();
        var a2 = A with { Data = new AddressData(IPAddress.Parse("10.0.0.3")) };
        var a3 = A with { Data = new AddressData(IPAddress.Parse("10.0.0.4")) };
        h.Receive(Ptr, Srv, Txt, A);
        h.Time.Advance(TimeSpan.FromSeconds(2));

        // Two new addresses in quick succession: the first flush expires the old A, not its sibling.
        h.Receive(a2);
        h.Time.Advance(TimeSpan.FromMilliseconds(500));
        h.Receive(a3);
        Assert.Equal(3, h.Browser.Services.Single().Endpoints.Count);

        h.Run(TimeSpan.FromSeconds(1));
        var endpoints = h.Browser.Services.Single().Endpoints.Select(e => e.Address.ToString()).ToList();
        Assert.Equal(["10.0.0.3", "10.0.0.4"], endpoints);
        Assert.Equal("updated", h.Events[^1].Kind);
    }

    [Fact]
    public void A_goodbye_loses_the_service_at_once_and_a_correction_within_the_second_finds_it_again()
    {
        var h = new Harness();
        h.Receive(Ptr, Srv, Txt, A);
        h.Receive(Ptr with { Ttl = 0 });
        Assert.Equal(["found", "lost"], h.Events.Select(e => e.Kind));
        Assert.Empty(h.Browser.Services);

        h.Time.Advance(TimeSpan.FromMilliseconds(500));
        h.Receive(Ptr);
        Assert.Equal(["found", "lost", "found"], h.Events.Select(e => e.Kind));

        h.Receive(Srv with { Ttl = 0 });
        h.Run(TimeSpan.FromSeconds(1.5));
        Assert.Equal("lost", h.Events[^1].Kind);
        Assert.DoesNotContain(h.Browser.Services, s => s.InstanceName == "Bob");
    }

    [Fact]
    public void A_goodbye_for_a_record_never_cached_changes_nothing()
    {
        var h = new Harness();
        h.Receive(Ptr with { Ttl = 0 }, Srv with { Ttl = 0 });
        Assert.Equal(0, h.Browser.CachedRecordCount);
        Assert.Empty(h.Events);
    }

    [Fact]
    public void Queries_foreign_ports_unknown_interfaces_other_types_and_stray_addresses_are_ignored()
    {
        var h = new Harness();
        Assert.Empty(h.Browser.OnPacket(DnsMessage.Query([], [Ptr, Srv, Txt, A]), Responder, 2));
        Assert.Empty(h.Browser.OnPacket(DnsMessage.Response([Ptr, Srv, Txt, A]), new IPEndPoint(Responder.Address, 53), 2));
        Assert.Empty(h.Browser.OnPacket(DnsMessage.Response([Ptr, Srv, Txt, A]), Responder, 99));
        Assert.Empty(h.Browser.OnPacket(DnsMessage.Response([Ptr, Srv, Txt, A]) with { Flags = DnsFlags.Response | (DnsFlags)3 }, Responder, 2));
        var otherType = DnsName.Parse("_http._tcp.local");
        h.Receive(
            new DnsRecord(otherType, DnsRecordType.PTR, false, 4500, new PtrData(otherType.Prepend("web"))),
            new DnsRecord(DnsName.Parse("unrelated.local"), DnsRecordType.A, true, 120, new AddressData(IPAddress.Parse("10.9.9.9"))),
            new DnsRecord(Service, DnsRecordType.PTR, false, 4500, new PtrData(DnsName.Parse("not.under.the.type"))),
            new DnsRecord(Instance, DnsRecordType.SRV, true, 120, new OpaqueData([1, 2, 3])));
        Assert.Equal(0, h.Browser.CachedRecordCount);
        Assert.Empty(h.Events);
    }

    [Fact]
    public void The_same_instance_on_two_interfaces_is_two_services_and_losing_one_interface_loses_one()
    {
        var h = new Harness();
        var wlan = new MdnsInterface(3, "wlan0", [IPAddress.Parse("192.168.1.5")]);
        h.Browser.SetInterfaces([Eth, wlan]);
        h.Receive(Ptr, Srv, Txt, A);
        h.Browser.OnPacket(DnsMessage.Response([Ptr, Srv, Txt, A]), Responder, 3);
        Assert.Equal(2, h.Browser.Services.Count);

        h.Browser.SetInterfaces([Eth]);
        var lost = h.Events[^1];
        Assert.Equal("lost", lost.Kind);
        Assert.Equal(3, lost.Service.InterfaceIndex);
        Assert.Equal(2, Assert.Single(h.Browser.Services).InterfaceIndex);
    }

    [Fact]
    public void A_new_interface_gets_its_own_first_query_soon()
    {
        var h = new Harness();
        h.Run(TimeSpan.FromSeconds(10));
        var wlan = new MdnsInterface(3, "wlan0", [IPAddress.Parse("192.168.1.5")]);
        var added = h.Time.GetUtcNow() - h.Origin;
        h.Browser.SetInterfaces([Eth, wlan]);
        h.Run(TimeSpan.FromMilliseconds(150));

        var first = h.Timeline.First(t => t.Packet.Destination.InterfaceIndex == 3);
        Assert.InRange(first.At - added, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(120));
    }

    [Fact]
    public void Link_local_ipv6_endpoints_carry_the_interface_as_scope()
    {
        var h = new Harness();
        var aaaa = new DnsRecord(Host, DnsRecordType.AAAA, true, 120, new AddressData(IPAddress.Parse("fe80::2")));
        var global = new DnsRecord(Host, DnsRecordType.AAAA, true, 120, new AddressData(IPAddress.Parse("2001:db8::2")));
        h.Receive(Ptr, Srv, Txt, aaaa, global, A);

        var endpoints = Assert.Single(h.Browser.Services).Endpoints;
        Assert.Equal(["10.0.0.2:7070", "[2001:db8::2]:7070", "[fe80::2%2]:7070"], endpoints.Select(e => e.ToString()));
    }

    [Fact]
    public void A_flood_of_records_stops_at_the_cache_capacity()
    {
        var h = new Harness();
        var records = Enumerable.Range(0, MdnsBrowser.CacheCapacity + 500)
            .Select(i => new DnsRecord(Service, DnsRecordType.PTR, false, 4500, new PtrData(Service.Prepend($"n{i}"))))
            .ToArray();
        foreach (var chunk in records.Chunk(500))
        {
            h.Receive(chunk);
        }

        Assert.Equal(MdnsBrowser.CacheCapacity, h.Browser.CachedRecordCount);
        Assert.Empty(h.Events);
    }

    [Fact]
    public void A_flood_with_absurd_ttls_cannot_lock_a_real_service_out()
    {
        var h = new Harness();
        var flood = Enumerable.Range(0, MdnsBrowser.CacheCapacity)
            .Select(i => new DnsRecord(Service, DnsRecordType.PTR, false, uint.MaxValue, new PtrData(Service.Prepend($"n{i}"))))
            .ToArray();
        foreach (var chunk in flood.Chunk(500))
        {
            h.Receive(chunk);
        }

        // The cache is full of records that claim to live for 136 years; a real service still gets in.
        h.Receive(Ptr, Srv, Txt, A);

        Assert.Single(h.Browser.Services);
        Assert.Equal(MdnsBrowser.CacheCapacity, h.Browser.CachedRecordCount);
    }

    [Fact]
    public void Start_twice_and_bad_interface_lists_are_refused()
    {
        var h = new Harness();
        Assert.Throws<InvalidOperationException>(() => h.Browser.Start());
        Assert.Throws<ArgumentException>(() => h.Browser.SetInterfaces([Eth, Eth]));
        Assert.Throws<ArgumentNullException>(() => h.Browser.OnPacket(null!, Responder, 2));
        Assert.Throws<ArgumentException>(() => new MdnsBrowser(DnsName.Root, h.Time, new Random(1), NullLogger.Instance));
        h.Receive(Ptr, Srv, Txt, A);
        Assert.Single(h.Browser.Services);
    }
}
