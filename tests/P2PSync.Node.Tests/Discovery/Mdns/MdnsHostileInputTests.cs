using System.Net;
using P2PSync.Node.Discovery.Mdns;
using P2PSync.Node.Discovery.Mdns.Wire;
using P2PSync.Node.Tests.Discovery.Mdns.Wire;

namespace P2PSync.Node.Tests.Discovery.Mdns;

/// <summary>
/// Whatever a decoded packet says, the engines neither throw nor lose their footing: seeded
/// random messages and mutations of real traffic go to a running responder and browser, which
/// must afterwards still find each other.
/// </summary>
public sealed class MdnsHostileInputTests
{
    private const string DeviceA = "AAAAAAAAAAAAAAAAAAAAAAAAAA";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_and_mutated_packets_never_throw_and_discovery_still_works(int seed)
    {
        var lan = new InMemoryMdnsLan(seed);
        var alice = lan.AddHost("alice", 1, ipv6: true);
        var bob = lan.AddHost("bob", 2);
        alice.AttachResponder(TestProfiles.Node("Alice", DeviceA, 7070));
        bob.AttachBrowser();
        lan.Start(alice, bob);
        lan.RunFor(TimeSpan.FromSeconds(3));
        var genuine = lan.Wire.Select(p => DnsCodec.Encode(p.Message)).ToList();

        var random = new Random(seed);
        var messages = new RandomDnsMessages(seed);
        var fed = 0;
        for (var i = 0; i < 3000; i++)
        {
            DnsMessage message;
            if (i % 2 == 0)
            {
                message = messages.Message();
            }
            else
            {
                var bytes = PacketMutator.Mutate(genuine[random.Next(genuine.Count)], random);
                try
                {
                    message = DnsCodec.Decode(bytes);
                }
                catch (DnsFormatException)
                {
                    continue;
                }
            }

            var port = random.Next(4) == 0 ? random.Next(1, 65536) : MdnsNames.Port;
            var source = new IPEndPoint(IPAddress.Parse("10.0.0.66"), port);
            try
            {
                alice.Responder!.OnPacket(message, source, 2);
                bob.Browser!.OnPacket(message, source, 2);
                alice.Responder.Poll();
                bob.Browser.Poll();
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed}, message {i}: {ex.GetType().Name}: {ex.Message}\n{message}");
            }

            fed++;
        }

        Assert.True(fed >= 1500, $"seed {seed}: only {fed} messages fed");

        // The junk may have renamed alice or filled bob's cache with fakes; the real service is
        // still found once the LAN runs again (a fresh browser, so leftovers cannot help).
        var carol = lan.AddHost("carol", 3);
        carol.AttachBrowser();
        lan.Start(carol);
        lan.RunFor(TimeSpan.FromSeconds(10));
        Assert.True(
            carol.Browser!.Services.Any(s => s.Txt.TryGetValue("id", out var id) && id == DeviceA && s.Port == 7070),
            $"seed {seed}: carol does not see alice ({alice.Responder!.InstanceName}) after the hostile traffic");
    }
}
