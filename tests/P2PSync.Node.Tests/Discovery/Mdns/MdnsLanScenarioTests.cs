using System.Net;
using P2PSync.Node.Discovery.Mdns;

namespace P2PSync.Node.Tests.Discovery.Mdns;

/// <summary>Responders and browsers together on the in-memory LAN: discovery, renames, updates and losses, with their timing.</summary>
public sealed class MdnsLanScenarioTests
{
    private const string DeviceA = "AAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string DeviceB = "BBBBBBBBBBBBBBBBBBBBBBBBBB";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void A_browser_started_with_the_responder_finds_it_within_one_second(int seed)
    {
        var lan = new InMemoryMdnsLan(seed);
        var alice = lan.AddHost("alice", 1, ipv6: true);
        var bob = lan.AddHost("bob", 2);
        alice.AttachResponder(TestProfiles.Node("Alice's laptop", DeviceA, 7070));
        bob.AttachBrowser();
        lan.Start(alice, bob);

        Assert.True(lan.RunUntil(() => bob.EventsOf("found").Count > 0, TimeSpan.FromSeconds(1)), $"seed {seed}: not found within 1 s");
        var found = Assert.Single(bob.EventsOf("found")).Service;
        Assert.Equal("Alice's laptop", found.InstanceName);
        Assert.Equal("p2psync-aaaaaaaaaa.local", found.HostName.ToString());
        Assert.Equal(7070, found.Port);
        Assert.Equal(DeviceA, found.Txt["id"]);
        Assert.Equal("1", found.Txt["proto"]);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 7070), found.Endpoints[0]);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("fe80::1%2"), 7070), found.Endpoints[1]);
        Assert.Equal(2, found.InterfaceIndex);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void A_browser_started_later_finds_an_established_responder_within_a_quarter_second(int seed)
    {
        var lan = new InMemoryMdnsLan(seed);
        var alice = lan.AddHost("alice", 1);
        var bob = lan.AddHost("bob", 2);
        alice.AttachResponder(TestProfiles.Node("Alice", DeviceA, 7070));
        lan.Start(alice);
        lan.RunFor(TimeSpan.FromSeconds(5));
        Assert.Equal(ResponderPhase.Established, alice.Responder!.PhaseOn(2));

        bob.AttachBrowser();
        var start = lan.Now;
        lan.Start(bob);
        Assert.True(lan.RunUntil(() => bob.EventsOf("found").Count > 0, TimeSpan.FromSeconds(1)), $"seed {seed}: not found");

        // First query after 20-120 ms, shared PTR answer after 20-120 ms carrying SRV/TXT/A as additionals.
        Assert.InRange(lan.Now - start, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(241));
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    [InlineData(24)]
    public void Two_responders_started_together_with_one_name_end_with_two_names(int seed)
    {
        var lan = new InMemoryMdnsLan(seed);
        var alice = lan.AddHost("alice", 1);
        var bob = lan.AddHost("bob", 2);
        var carol = lan.AddHost("carol", 3);
        var renames = new List<string>();
        alice.AttachResponder(TestProfiles.Node("Laptop", DeviceA, 7070)).Renamed += n => renames.Add("alice:" + n);
        bob.AttachResponder(TestProfiles.Node("Laptop", DeviceB, 7071)).Renamed += n => renames.Add("bob:" + n);
        carol.AttachBrowser();
        lan.Start(alice, bob, carol);

        lan.RunFor(TimeSpan.FromSeconds(10));

        var names = new[] { alice.Responder!.InstanceName, bob.Responder!.InstanceName };
        Assert.True(names.Order().SequenceEqual(["Laptop", "Laptop (2)"]), $"seed {seed}: names {string.Join(", ", names)}; renames {string.Join(", ", renames)}");
        Assert.Single(renames);
        var seen = carol.Browser!.Services.ToDictionary(s => s.InstanceName, s => s.Port);
        Assert.Equal(2, seen.Count);
        Assert.Equal(alice.Responder.InstanceName == "Laptop" ? 7070 : 7071, seen["Laptop"]);
        Assert.Empty(carol.EventsOf("lost"));
    }

    [Fact]
    public void A_latecomer_with_a_taken_name_renames_and_the_owner_keeps_it()
    {
        var lan = new InMemoryMdnsLan(31);
        var alice = lan.AddHost("alice", 1);
        var bob = lan.AddHost("bob", 2);
        alice.AttachResponder(TestProfiles.Node("Laptop", DeviceA, 7070));
        lan.Start(alice);
        lan.RunFor(TimeSpan.FromSeconds(3));

        bob.AttachResponder(TestProfiles.Node("Laptop", DeviceB, 7071));
        lan.Start(bob);
        lan.RunFor(TimeSpan.FromSeconds(3));

        Assert.Equal("Laptop", alice.Responder!.InstanceName);
        Assert.Equal("Laptop (2)", bob.Responder!.InstanceName);
        Assert.Equal(ResponderPhase.Established, bob.Responder.PhaseOn(2));
    }

    [Theory]
    [InlineData(41)]
    [InlineData(42)]
    public void A_goodbye_makes_the_browser_lose_the_service_at_once(int seed)
    {
        var lan = new InMemoryMdnsLan(seed);
        var alice = lan.AddHost("alice", 1);
        var bob = lan.AddHost("bob", 2);
        alice.AttachResponder(TestProfiles.Node("Alice", DeviceA, 7070));
        bob.AttachBrowser();
        lan.Start(alice, bob);
        lan.RunFor(TimeSpan.FromSeconds(3));
        Assert.Single(bob.Browser!.Services);

        var stoppedAt = lan.Now;
        lan.Send(alice, alice.Responder!.Stop());
        Assert.True(lan.RunUntil(() => bob.EventsOf("lost").Count > 0, TimeSpan.FromSeconds(1)), $"seed {seed}: not lost within 1 s");
        Assert.True(lan.Now - stoppedAt < TimeSpan.FromMilliseconds(10), $"seed {seed}: lost after {lan.Now - stoppedAt}");
        Assert.Empty(bob.Browser.Services);

        // The cache keeps the goodbye'd records for their one second of grace, then drops them.
        lan.RunFor(TimeSpan.FromSeconds(1.5));
        Assert.Equal(0, bob.Browser.CachedRecordCount);
    }

    [Fact]
    public void A_responder_that_vanishes_without_goodbye_is_lost_when_its_records_expire()
    {
        var lan = new InMemoryMdnsLan(51);
        var alice = lan.AddHost("alice", 1);
        var bob = lan.AddHost("bob", 2);
        alice.AttachResponder(TestProfiles.Node("Alice", DeviceA, 7070));
        bob.AttachBrowser();
        lan.Start(alice, bob);
        lan.RunFor(TimeSpan.FromSeconds(3));
        var lastHeard = lan.Wire.Last(p => p.Sender == "alice").At;

        alice.Muted = true;
        Assert.True(lan.RunUntil(() => bob.EventsOf("lost").Count > 0, TimeSpan.FromSeconds(200)), "never lost");

        // SRV and A carry 120 s: the service goes when they expire, after four unanswered refresh queries.
        Assert.InRange(lan.Now - lastHeard, TimeSpan.FromSeconds(119.9), TimeSpan.FromSeconds(120.1));
        var refreshes = lan.SentSince(lastHeard, p => p.Sender == "bob" && p.Message.Questions.Any(q => q.Name.ToString() == "p2psync-aaaaaaaaaa.local"));
        Assert.Equal(4, refreshes.Count);
    }

    [Fact]
    public void An_established_responder_keeps_its_service_alive_through_refresh_queries()
    {
        var lan = new InMemoryMdnsLan(52);
        var alice = lan.AddHost("alice", 1);
        var bob = lan.AddHost("bob", 2);
        alice.AttachResponder(TestProfiles.Node("Alice", DeviceA, 7070));
        bob.AttachBrowser();
        lan.Start(alice, bob);

        lan.RunFor(TimeSpan.FromMinutes(10));

        Assert.Single(bob.EventsOf("found"));
        Assert.Empty(bob.EventsOf("lost"));
        Assert.Single(bob.Browser!.Services);
    }

    [Fact]
    public void A_port_change_is_one_update_with_the_new_port()
    {
        var lan = new InMemoryMdnsLan(61);
        var alice = lan.AddHost("alice", 1);
        var bob = lan.AddHost("bob", 2);
        var profile = TestProfiles.Node("Alice", DeviceA, 7070);
        alice.AttachResponder(profile);
        bob.AttachBrowser();
        lan.Start(alice, bob);
        lan.RunFor(TimeSpan.FromSeconds(3));

        lan.Send(alice, alice.Responder!.UpdateProfile(profile with { Port = 9090 }));
        lan.RunFor(TimeSpan.FromSeconds(5));

        var update = Assert.Single(bob.EventsOf("updated")).Service;
        Assert.Equal(9090, update.Port);
        Assert.Empty(bob.EventsOf("lost"));
        Assert.Equal(9090, Assert.Single(bob.Browser!.Services).Port);
        Assert.Equal(9090, Assert.Single(bob.Browser.Services).Endpoints[0].Port);
    }

    [Fact]
    public void A_txt_change_is_an_update()
    {
        var lan = new InMemoryMdnsLan(62);
        var alice = lan.AddHost("alice", 1);
        var bob = lan.AddHost("bob", 2);
        var profile = TestProfiles.Node("Alice", DeviceA, 7070);
        alice.AttachResponder(profile);
        bob.AttachBrowser();
        lan.Start(alice, bob);
        lan.RunFor(TimeSpan.FromSeconds(3));

        var txt = new Dictionary<string, string>(profile.Txt) { ["proto"] = "2" };
        lan.Send(alice, alice.Responder!.UpdateProfile(profile with { Txt = txt }));
        lan.RunFor(TimeSpan.FromSeconds(3));

        Assert.Equal("2", Assert.Single(bob.EventsOf("updated")).Service.Txt["proto"]);
    }

    [Fact]
    public void Removing_the_browsers_interface_loses_its_services_and_adding_it_back_finds_them()
    {
        var lan = new InMemoryMdnsLan(71);
        var alice = lan.AddHost("alice", 1);
        var bob = lan.AddHost("bob", 2);
        alice.AttachResponder(TestProfiles.Node("Alice", DeviceA, 7070));
        bob.AttachBrowser();
        lan.Start(alice, bob);
        lan.RunFor(TimeSpan.FromSeconds(3));

        var removedAt = lan.Now;
        bob.SetAttached(false);
        var lost = Assert.Single(bob.EventsOf("lost"));
        Assert.Equal(removedAt, lost.At);
        Assert.Empty(bob.Browser!.Services);
        Assert.Equal(0, bob.Browser.CachedRecordCount);

        bob.SetAttached(true);
        Assert.True(lan.RunUntil(() => bob.EventsOf("found").Count == 2, TimeSpan.FromSeconds(1)), "not found again after the interface came back");
    }

    [Fact]
    public void A_responder_whose_interface_comes_back_probes_and_announces_again()
    {
        var lan = new InMemoryMdnsLan(72);
        var alice = lan.AddHost("alice", 1);
        var bob = lan.AddHost("bob", 2);
        alice.AttachResponder(TestProfiles.Node("Alice", DeviceA, 7070));
        bob.AttachBrowser();
        lan.Start(alice, bob);
        lan.RunFor(TimeSpan.FromSeconds(3));

        alice.SetAttached(false);
        Assert.Null(alice.Responder!.PhaseOn(2));
        var back = lan.Now;
        alice.SetAttached(true);
        lan.RunFor(TimeSpan.FromSeconds(3));

        var probes = lan.SentSince(back, p => p.Sender == "alice" && p.Message.Authorities.Count > 0);
        var announcements = lan.SentSince(back, p => p.Sender == "alice" && p.Message.IsResponse && p.Message.Answers.Count >= 5);
        Assert.Equal(3, probes.Count);
        Assert.Equal(2, announcements.Count);
        Assert.Equal(ResponderPhase.Established, alice.Responder.PhaseOn(2));
    }

    [Fact]
    public void Fifty_seeds_of_a_lossy_lan_still_converge()
    {
        // One packet in five lost per receiver (so a query and its answer both arrive only 64 % of
        // the time), one in ten duplicated, up to 5 ms of reordering jitter.
        var conditions = new LanConditions(Loss: 0.2, Duplication: 0.1, MaxJitter: TimeSpan.FromMilliseconds(5));
        for (var seed = 1000; seed < 1050; seed++)
        {
            var lan = new InMemoryMdnsLan(seed, conditions);
            var alice = lan.AddHost("alice", 1, ipv6: true);
            var bob = lan.AddHost("bob", 2, ipv6: true);
            var carol = lan.AddHost("carol", 3);
            alice.AttachResponder(TestProfiles.Node("Laptop", DeviceA, 7070));
            bob.AttachResponder(TestProfiles.Node("Laptop", DeviceB, 7071));
            alice.AttachBrowser();
            carol.AttachBrowser();
            lan.Start(alice, bob, carol);

            var converged = lan.RunUntil(
                () => carol.Browser!.Services.Count == 2 && alice.Browser!.Services.Count == 2,
                TimeSpan.FromSeconds(120));

            var names = new[] { alice.Responder!.InstanceName, bob.Responder!.InstanceName };
            Assert.True(converged, $"seed {seed}: carol sees {carol.Browser!.Services.Count}, alice sees {alice.Browser!.Services.Count} after 120 s; names {string.Join(", ", names)}");
            Assert.True(names.Order().SequenceEqual(["Laptop", "Laptop (2)"]), $"seed {seed}: names {string.Join(", ", names)}");

            // Records keep being refreshed through the loss: five minutes on, any service that a
            // run of lost refreshes made expire comes back within the resolver's back-off.
            lan.RunFor(TimeSpan.FromMinutes(5));
            Assert.True(
                lan.RunUntil(() => carol.Browser.Services.Count == 2, TimeSpan.FromSeconds(90)),
                $"seed {seed}: carol did not recover: {string.Join(", ", carol.Events.Select(e => $"{e.At - lan.Started} {e.Kind} {e.Service.InstanceName}"))}");
        }
    }
}
