namespace P2PSync.Interop.Tests.Mdns;

/// <summary>
/// Proves the harness itself with avahi on both ends: if these fail, the node tests in this folder
/// say nothing about our mDNS code.
/// </summary>
[Collection("mdns namespaces")]
public sealed class AvahiHarnessTests
{
    private const string ServiceType = "_p2psync._tcp";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [AvahiFact]
    public async Task AvahiPublishInA_IsSeenResolvedAndWithdrawnByAvahiInB()
    {
        await using var lan = await NamespacePair.CreateAsync();
        await using var avahiA = await AvahiDaemon.StartAsync(lan.A);
        await using var avahiB = await AvahiDaemon.StartAsync(lan.B);
        await using var browser = avahiB.StartBrowser(ServiceType);

        // A space and a dot in the name exercise avahi's escaping on the way back out.
        const string instance = "harness check. one";
        await using var publication = await avahiA.PublishAsync(instance, ServiceType, 4242, "id=HARNESS", "proto=1");

        var resolved = await browser.WaitForAsync(
            e => e.IsResolved && e.InstanceName == instance && e.Address!.Equals(lan.A.Ipv4),
            Within,
            $"{instance} resolved over IPv4 in {lan.B.Name}");
        Assert.Equal((ushort)4242, resolved.Port);
        Assert.Equal(avahiA.HostName + ".local", resolved.Host);
        Assert.Equal("HARNESS", resolved.TxtValue("id"));
        Assert.Equal("1", resolved.TxtValue("proto"));
        Assert.Equal(NamespacePair.InterfaceName, resolved.Interface);

        // The same service also arrives over IPv6, at one of A's IPv6 addresses.
        var resolved6 = await browser.WaitForAsync(e => e.IsResolved && e.InstanceName == instance && e.Protocol == "IPv6", Within, "the IPv6 resolution");
        Assert.Contains(resolved6.Address!, lan.A.Addresses);

        await publication.StopAsync();
        await browser.WaitForAsync(e => e.Kind == '-' && e.InstanceName == instance, Within, $"{instance} withdrawn in {lan.B.Name}");
    }

    [NetnsFact]
    public async Task NamespacePair_IsTwoHostsOnOneLink_AndDisposeRemovesBoth()
    {
        string a;
        string b;
        await using (var lan = await NamespacePair.CreateAsync())
        {
            (a, b) = (lan.A.Name, lan.B.Name);
            Assert.True(NamespaceName.TryParse(a, out var parsed));
            Assert.Equal(Environment.ProcessId, parsed!.OwnerPid);
            Assert.NotNull(lan.A.LinkLocalIpv6);
            Assert.NotNull(lan.B.LinkLocalIpv6);

            // Each side holds exactly its own addresses on the veth, and the link is up both ways.
            var addrA = await lan.A.ExecAsync(Within, "ip", "-o", "addr", "show", "dev", NamespacePair.InterfaceName);
            Assert.Contains(lan.A.Ipv4.ToString(), addrA, StringComparison.Ordinal);
            Assert.Contains(lan.A.UlaIpv6.ToString(), addrA, StringComparison.Ordinal);
            Assert.DoesNotContain(lan.B.Ipv4.ToString(), addrA, StringComparison.Ordinal);
            var neighbourOfB = await lan.B.ExecAsync(Within, "ip", "-o", "link", "show", "dev", NamespacePair.InterfaceName);
            Assert.Contains("LOWER_UP", neighbourOfB, StringComparison.Ordinal);
        }

        var listing = await CommandRunner.CheckedAsync("ip", ["netns", "list"], Within);
        Assert.DoesNotContain(a, listing, StringComparison.Ordinal);
        Assert.DoesNotContain(b, listing, StringComparison.Ordinal);
    }

    [NetnsFact]
    public async Task Sweeper_DeletesLeftoversOfDeadRuns_AndKeepsLiveOnes()
    {
        // A namespace named as if made by a process that no longer exists (pid_max is far below 999999999).
        var stale = new NamespaceName(999_999_999, NamespaceName.NewTag(), 'a').ToString();
        var live = new NamespaceName(Environment.ProcessId, NamespaceName.NewTag(), 'b').ToString();
        await CommandRunner.CheckedAsync("ip", ["netns", "add", stale], Within);
        await CommandRunner.CheckedAsync("ip", ["netns", "add", live], Within);
        try
        {
            var deleted = await StaleNamespaceSweeper.SweepAsync();
            Assert.Contains(stale, deleted);
            Assert.DoesNotContain(live, deleted);
            var listing = await CommandRunner.CheckedAsync("ip", ["netns", "list"], Within);
            Assert.DoesNotContain(stale, listing, StringComparison.Ordinal);
            Assert.Contains(live, listing, StringComparison.Ordinal);
        }
        finally
        {
            await StaleNamespaceSweeper.DeleteAsync(stale);
            await StaleNamespaceSweeper.DeleteAsync(live);
        }
    }
}
