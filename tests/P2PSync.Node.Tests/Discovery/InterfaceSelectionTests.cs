using System.Net;
using P2PSync.Node.Discovery.Mdns;

namespace P2PSync.Node.Tests.Discovery;

public sealed class InterfaceSelectionTests
{
    private static readonly InterfaceCandidate Loopback = new(1, "lo", true, true, false, [IPAddress.Loopback, IPAddress.IPv6Loopback]);

    [Fact]
    public void KeepsUpMulticastNonLoopbackInterfaces_IPv4AddressesFirst()
    {
        var eth = new InterfaceCandidate(2, "eth0", true, false, true, [IPAddress.Parse("fe80::1"), IPAddress.Parse("192.168.1.5")]);
        var down = new InterfaceCandidate(3, "wlan0", false, false, true, [IPAddress.Parse("10.0.0.5")]);
        var noMulticast = new InterfaceCandidate(4, "tun0", true, false, false, [IPAddress.Parse("10.8.0.2")]);

        var chosen = InterfaceSelection.Select([Loopback, eth, down, noMulticast], allowLoopbackFallback: true);

        var only = Assert.Single(chosen);
        Assert.Equal(2, only.Index);
        Assert.Equal("eth0", only.Name);
        Assert.Equal([IPAddress.Parse("192.168.1.5"), IPAddress.Parse("fe80::1")], only.Addresses);
    }

    [Fact]
    public void LoopbackOnlyWhenItIsTheOnlyOne_AndAllowed()
    {
        Assert.Empty(InterfaceSelection.Select([Loopback], allowLoopbackFallback: false));
        Assert.Equal(1, Assert.Single(InterfaceSelection.Select([Loopback], allowLoopbackFallback: true)).Index);
    }

    [Fact]
    public void InterfacesWithoutUsableAddresses_AreSkipped_AndMulticastOrAnyAddressesAreNotPublished()
    {
        var empty = new InterfaceCandidate(5, "veth0", true, false, true, []);
        var odd = new InterfaceCandidate(6, "veth1", true, false, true, [IPAddress.Any, IPAddress.Parse("224.0.0.251"), IPAddress.Parse("ff02::fb"), IPAddress.Parse("10.1.0.1"), IPAddress.Parse("10.1.0.1")]);

        var chosen = InterfaceSelection.Select([empty, odd], allowLoopbackFallback: false);

        Assert.Equal([IPAddress.Parse("10.1.0.1")], Assert.Single(chosen).Addresses);
    }

    [Fact]
    public void SameSelectionForShuffledInput_SoChangeDetectionIsAPlainComparison()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var candidates = Enumerable.Range(2, 8)
            .Select(i => new InterfaceCandidate(i, $"if{i}", random.Next(4) != 0, false, random.Next(4) != 0, [IPAddress.Parse($"10.0.{i}.1"), IPAddress.Parse($"fe80::{i}")]))
            .ToList();
        var expected = InterfaceSelection.Select(candidates, allowLoopbackFallback: false);

        for (var round = 0; round < 50; round++)
        {
            var shuffled = candidates.OrderBy(_ => random.Next()).ToList();
            Assert.True(expected.SequenceEqual(InterfaceSelection.Select(shuffled, allowLoopbackFallback: false)), $"seed {seed}, round {round}");
        }
    }
}
