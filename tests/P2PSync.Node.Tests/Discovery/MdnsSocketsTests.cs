using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Node.Discovery.Mdns;

namespace P2PSync.Node.Tests.Discovery;

/// <summary>
/// The real sockets. On the host only unicast over 127.0.0.1 (no group is joined there); every
/// multicast test runs in two namespaces of its own joined by a veth pair.
/// </summary>
public sealed class MdnsSocketsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Loopback_ReceivesWithSourceAndInterface_RepliesByUnicast_AndDropsOverlongDatagrams()
    {
        var port = FreeUdpPort();
        await using var sockets = MdnsSockets.Open(port, NullLogger.Instance);
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var peerEndpoint = (IPEndPoint)peer.Client.LocalEndPoint!;
        var loopbackIndex = NetworkInterface.GetAllNetworkInterfaces().First(n => n.NetworkInterfaceType == NetworkInterfaceType.Loopback).GetIPProperties().GetIPv4Properties().Index;

        await peer.SendAsync(new byte[MdnsSockets.MaxDatagram + 1], new IPEndPoint(IPAddress.Loopback, port));
        await peer.SendAsync(new byte[] { 1, 2, 3 }, new IPEndPoint(IPAddress.Loopback, port));
        using var timeout = new CancellationTokenSource(Wait);
        var received = await sockets.ReceiveAsync(timeout.Token);

        Assert.Equal([1, 2, 3], received.Payload);
        Assert.Equal(peerEndpoint, received.Source);
        Assert.Equal(loopbackIndex, received.InterfaceIndex);
        Assert.Equal(1, sockets.DroppedDatagrams);

        await sockets.SendAsync(new byte[] { 9, 8 }, MdnsDestination.To(loopbackIndex, peerEndpoint), timeout.Token);
        var reply = await peer.ReceiveAsync(timeout.Token);
        Assert.Equal([9, 8], reply.Buffer);
        Assert.Equal(port, reply.RemoteEndPoint.Port);
    }

    [Fact]
    public async Task MulticastToAnInterfaceNotJoined_IsRefused_NotSentSomewhereElse()
    {
        await using var sockets = MdnsSockets.Open(FreeUdpPort(), NullLogger.Instance);

        var refused = await Assert.ThrowsAsync<SocketException>(async () =>
            await sockets.SendAsync(new byte[] { 1 }, MdnsDestination.Multicast(12345, AddressFamily.InterNetwork), CancellationToken.None));

        Assert.Equal(SocketError.NetworkUnreachable, refused.SocketErrorCode);
    }

    [Fact]
    public void Open_RefusesAPortOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MdnsSockets.Open(0, NullLogger.Instance));
        Assert.Throws<ArgumentOutOfRangeException>(() => MdnsSockets.Open(65536, NullLogger.Instance));
    }

    [NetnsFact]
    public async Task Multicast_OverIPv4AndIPv6_ReachesThePeerAndLoopsBack_WithTheReceivingInterface()
    {
        using var lan = VethPair.Create();
        await using var a = NetnsThread.Run(lan.NamespaceA, () => MdnsSockets.Open(MdnsNames.Port, NullLogger.Instance));
        await using var b = NetnsThread.Run(lan.NamespaceB, () => MdnsSockets.Open(MdnsNames.Port, NullLogger.Instance));
        a.SetInterfaces([new MdnsInterface(lan.IndexA, "mhA", [VethPair.Ipv4A, VethPair.Ipv6A])]);
        b.SetInterfaces([new MdnsInterface(lan.IndexB, "mhB", [VethPair.Ipv4B, VethPair.Ipv6B])]);
        using var timeout = new CancellationTokenSource(Wait);

        await a.SendAsync(new byte[] { 4 }, MdnsDestination.Multicast(lan.IndexA, AddressFamily.InterNetwork), timeout.Token);
        var atB = await b.ReceiveAsync(timeout.Token);
        var atA = await a.ReceiveAsync(timeout.Token);
        Assert.Equal([4], atB.Payload);
        Assert.Equal(new IPEndPoint(VethPair.Ipv4A, MdnsNames.Port), atB.Source);
        Assert.Equal(lan.IndexB, atB.InterfaceIndex);
        Assert.Equal([4], atA.Payload);
        Assert.Equal(lan.IndexA, atA.InterfaceIndex);

        await a.SendAsync(new byte[] { 6 }, MdnsDestination.Multicast(lan.IndexA, AddressFamily.InterNetworkV6), timeout.Token);
        var v6AtB = await b.ReceiveAsync(timeout.Token);
        Assert.Equal([6], v6AtB.Payload);
        Assert.Equal(AddressFamily.InterNetworkV6, v6AtB.Source.AddressFamily);
        Assert.Equal(MdnsNames.Port, v6AtB.Source.Port);
        Assert.Equal(lan.IndexB, v6AtB.InterfaceIndex);
        Assert.Equal([6], (await a.ReceiveAsync(timeout.Token)).Payload);

        // A unicast answer to where the question came from (a link-local source keeps its scope).
        await b.SendAsync(new byte[] { 7 }, MdnsDestination.To(lan.IndexB, v6AtB.Source), timeout.Token);
        var answer = await a.ReceiveAsync(timeout.Token);
        Assert.Equal([7], answer.Payload);
        Assert.Equal(lan.IndexA, answer.InterfaceIndex);
    }

    [NetnsFact]
    public async Task TwoSocketSetsOnOneHost_SharePort5353_AndBothHearTheLan()
    {
        using var lan = VethPair.Create();
        await using var first = NetnsThread.Run(lan.NamespaceA, () => MdnsSockets.Open(MdnsNames.Port, NullLogger.Instance));
        await using var second = NetnsThread.Run(lan.NamespaceA, () => MdnsSockets.Open(MdnsNames.Port, NullLogger.Instance));
        await using var sender = NetnsThread.Run(lan.NamespaceB, () => MdnsSockets.Open(MdnsNames.Port, NullLogger.Instance));
        var atA = new MdnsInterface(lan.IndexA, "mhA", [VethPair.Ipv4A]);
        first.SetInterfaces([atA]);
        second.SetInterfaces([atA]);
        sender.SetInterfaces([new MdnsInterface(lan.IndexB, "mhB", [VethPair.Ipv4B])]);
        using var timeout = new CancellationTokenSource(Wait);

        await sender.SendAsync(new byte[] { 5 }, MdnsDestination.Multicast(lan.IndexB, AddressFamily.InterNetwork), timeout.Token);

        Assert.Equal([5], (await first.ReceiveAsync(timeout.Token)).Payload);
        Assert.Equal([5], (await second.ReceiveAsync(timeout.Token)).Payload);
    }

    [NetnsFact]
    public async Task Port5353HeldByAnotherProgramWithSoReuseaddr_IsShared()
    {
        using var lan = VethPair.Create();
        // What avahi-daemon does: plain SO_REUSEADDR (SOL_SOCKET=1, SO_REUSEADDR=2), then bind.
        using var other = NetnsThread.Run(lan.NamespaceA, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.SetRawSocketOption(1, 2, BitConverter.GetBytes(1));
            socket.Bind(new IPEndPoint(IPAddress.Any, MdnsNames.Port));
            return socket;
        });

        await using var ours = NetnsThread.Run(lan.NamespaceA, () => MdnsSockets.Open(MdnsNames.Port, NullLogger.Instance));

        Assert.Equal(MdnsNames.Port, ours.Port);
    }

    [NetnsFact]
    public async Task LeavingAnInterface_StopsItsMulticast()
    {
        using var lan = VethPair.Create();
        await using var a = NetnsThread.Run(lan.NamespaceA, () => MdnsSockets.Open(MdnsNames.Port, NullLogger.Instance));
        await using var b = NetnsThread.Run(lan.NamespaceB, () => MdnsSockets.Open(MdnsNames.Port, NullLogger.Instance));
        a.SetInterfaces([new MdnsInterface(lan.IndexA, "mhA", [VethPair.Ipv4A])]);
        b.SetInterfaces([new MdnsInterface(lan.IndexB, "mhB", [VethPair.Ipv4B])]);

        b.SetInterfaces([]);
        await a.SendAsync(new byte[] { 1 }, MdnsDestination.Multicast(lan.IndexA, AddressFamily.InterNetwork), CancellationToken.None);
        using var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await b.ReceiveAsync(shortWait.Token));
        await Assert.ThrowsAsync<SocketException>(async () =>
            await b.SendAsync(new byte[] { 1 }, MdnsDestination.Multicast(lan.IndexB, AddressFamily.InterNetwork), CancellationToken.None));
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
