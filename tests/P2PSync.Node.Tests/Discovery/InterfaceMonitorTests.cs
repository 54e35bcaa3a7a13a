using System.Net;
using System.Net.NetworkInformation;
using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Node.Discovery.Mdns;
using P2PSync.Node.Transport.InMemory;

namespace P2PSync.Node.Tests.Discovery;

public sealed class InterfaceMonitorTests
{
    private static readonly InterfaceCandidate Eth = new(2, "eth0", true, false, true, [IPAddress.Parse("192.168.1.5")]);
    private static readonly InterfaceCandidate Wlan = new(3, "wlan0", true, false, true, [IPAddress.Parse("10.0.0.7")]);

    [Fact]
    public void Poll_ReportsInterfacesComingGoingAndChangingAddress_OnlyWhenTheSelectionDiffers()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        IReadOnlyList<InterfaceCandidate> os = [Eth];
        using var monitor = new InterfaceMonitor(() => os, time, allowLoopback: false, NullLogger.Instance, TimeSpan.FromSeconds(5));
        var changes = new List<IReadOnlyList<MdnsInterface>>();
        monitor.Changed += changes.Add;

        Assert.Equal([2], monitor.Start().Select(i => i.Index));

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(changes);

        os = [Eth, Wlan];
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([2, 3], changes[^1].Select(i => i.Index));

        os = [Eth with { Addresses = [IPAddress.Parse("192.168.1.6")] }, Wlan];
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(IPAddress.Parse("192.168.1.6"), changes[^1][0].Addresses[0]);

        os = [Wlan];
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([3], changes[^1].Select(i => i.Index));
        Assert.Equal(3, changes.Count);
        Assert.Equal([3], monitor.Current.Select(i => i.Index));
    }

    [Fact]
    public void UnreadableInterfaces_KeepTheLastSelection()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var fail = false;
        using var monitor = new InterfaceMonitor(() => fail ? throw new NetworkInformationException(5) : [Eth], time, allowLoopback: false, NullLogger.Instance);
        var changes = 0;
        monitor.Changed += _ => changes++;
        monitor.Start();

        fail = true;
        monitor.Refresh();

        Assert.Equal(0, changes);
        Assert.Equal([2], monitor.Current.Select(i => i.Index));
    }

    [Fact]
    public void AfterDispose_NothingFires()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        IReadOnlyList<InterfaceCandidate> os = [Eth];
        var monitor = new InterfaceMonitor(() => os, time, allowLoopback: false, NullLogger.Instance);
        var changes = 0;
        monitor.Changed += _ => changes++;
        monitor.Start();
        monitor.Dispose();

        os = [Wlan];
        time.Advance(TimeSpan.FromSeconds(30));
        monitor.Refresh();

        Assert.Equal(0, changes);
    }

    [Fact]
    public void ReadSystem_SeesLoopback()
    {
        // Reading only: nothing is sent anywhere.
        var all = InterfaceMonitor.ReadSystem();

        Assert.Contains(all, c => c.IsLoopback && c.Addresses.Contains(IPAddress.Loopback));
    }
}
