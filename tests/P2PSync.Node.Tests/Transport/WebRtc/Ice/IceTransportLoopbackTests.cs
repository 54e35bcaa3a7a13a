using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Ice;
using P2PSync.Node.Transport.WebRtc.Stun;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Ice;

public sealed class IceTransportLoopbackTests(ITestOutputHelper output)
{
    private static IPAddress Loopback => IPAddress.Loopback;

    private static IceTransport NewTransport(int seed, IceRole role, IPEndPoint? stunServer = null, int queueLength = 512)
    {
        var random = new Random(seed);
        var agent = new IceAgent(new IceAgentOptions(), IceCredentials.Generate(random), role, (ulong)seed, random);
        return new IceTransport(agent, new IceTransportOptions { BindAddresses = [Loopback], StunServer = stunServer, ReceiveQueueLength = queueLength }, TimeProvider.System, random);
    }

    /// <summary>Wires trickle both ways, as signalling would, and starts both.</summary>
    private static void Connect(IceTransport a, IceTransport b)
    {
        a.LocalCandidate += candidate => b.AddRemoteCandidate(candidate);
        b.LocalCandidate += candidate => a.AddRemoteCandidate(candidate);
        a.GatheringComplete += b.RemoteEndOfCandidates;
        b.GatheringComplete += a.RemoteEndOfCandidates;
        a.SetRemoteCredentials(b.Agent.LocalCredentials);
        b.SetRemoteCredentials(a.Agent.LocalCredentials);
        a.Start();
        b.Start();
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, int timeoutMs)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.ElapsedMilliseconds > timeoutMs)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    [Fact]
    public async Task OursToOurs_OnLoopback_ConnectsAndCarriesDatagramsBothWays()
    {
        await using IceTransport a = NewTransport(1, IceRole.Controlling);
        await using IceTransport b = NewTransport(2, IceRole.Controlled);
        var clock = Stopwatch.StartNew();
        Connect(a, b);

        bool completed = await WaitAsync(() => a.Agent.State == IceConnectionState.Completed && b.Agent.State == IceConnectionState.Completed, 5000);

        output.WriteLine($"completed in {clock.ElapsedMilliseconds} ms");
        Assert.True(completed, $"a {a.Agent.State}, b {b.Agent.State}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        for (int i = 0; i < 50; i++)
        {
            // First byte 23 is DTLS application data to the demultiplexer.
            await a.SendAsync(new byte[] { 23, (byte)i, 1, 2 }, timeout.Token);
            await b.SendAsync(new byte[] { 23, (byte)i, 3, 4, 5 }, timeout.Token);
        }

        byte[] buffer = new byte[a.MaxDatagramSize];
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(5, await a.ReceiveAsync(buffer, timeout.Token));
            Assert.Equal(23, buffer[0]);
            Assert.Equal(4, await b.ReceiveAsync(buffer, timeout.Token));
        }
    }

    [Fact]
    public async Task SlowReader_QueueFull_SocketWaits_NothingDropped_OrderKept()
    {
        await using IceTransport a = NewTransport(8, IceRole.Controlling, queueLength: 4);
        await using IceTransport b = NewTransport(9, IceRole.Controlled);
        Connect(a, b);
        Assert.True(await WaitAsync(() => a.Agent.State == IceConnectionState.Completed && b.Agent.State == IceConnectionState.Completed, 5000));

        for (int i = 0; i < 20; i++)
        {
            await b.SendAsync(new byte[] { 23, (byte)i }, CancellationToken.None);
        }

        // Four wait in the queue and the rest in the kernel's socket buffer, none is dropped.
        await Task.Delay(200);
        Assert.Equal(0, a.DroppedReceives);
        byte[] buffer = new byte[8];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(2, await a.ReceiveAsync(buffer, timeout.Token));
            Assert.Equal(i, buffer[1]);
        }

        Assert.Equal(0, a.DroppedReceives);
    }

    [Fact]
    public async Task StunServer_YieldsAServerReflexiveCandidate_WithItsBaseAsRelatedAddress()
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        server.Bind(new IPEndPoint(Loopback, 0));
        var mapped = IPEndPoint.Parse("203.0.113.5:40000");
        using var stop = new CancellationTokenSource();
        Task serving = ServeStunAsync(server, mapped, stop.Token);
        await using IceTransport transport = NewTransport(3, IceRole.Controlling, (IPEndPoint)server.LocalEndPoint!);
        var candidates = new List<IceCandidate>();
        var gathered = new TaskCompletionSource();
        transport.LocalCandidate += candidate => { lock (candidates) { candidates.Add(candidate); } };
        transport.GatheringComplete += () => gathered.TrySetResult();

        transport.Start();
        await gathered.Task.WaitAsync(TimeSpan.FromSeconds(5));
        stop.Cancel();
        await serving;

        IceCandidate srflx = Assert.Single(candidates, c => c.Type == IceCandidateType.ServerReflexive);
        IceCandidate host = Assert.Single(candidates, c => c.Type == IceCandidateType.Host);
        Assert.Equal(mapped, srflx.EndPoint);
        Assert.Equal(host.Address, srflx.RelatedAddress);
        Assert.Equal(host.Port, srflx.RelatedPort);
        Assert.Equal("candidate:" + srflx.Foundation + " 1 udp " + srflx.Priority + " 203.0.113.5 40000 typ srflx raddr 127.0.0.1 rport " + host.Port, IceCandidateLine.Format(srflx));
    }

    [Fact]
    public async Task SilentStunServer_GatheringStillCompletes_WithHostOnly()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(Loopback, 0));
        await using IceTransport transport = NewTransport(4, IceRole.Controlling, (IPEndPoint)silent.LocalEndPoint!);
        int count = 0;
        var gathered = new TaskCompletionSource();
        transport.LocalCandidate += _ => Interlocked.Increment(ref count);
        transport.GatheringComplete += () => gathered.TrySetResult();
        var clock = Stopwatch.StartNew();

        transport.Start();
        await gathered.Task.WaitAsync(TimeSpan.FromSeconds(5));

        output.WriteLine($"gathering gave up on the server after {clock.ElapsedMilliseconds} ms");
        Assert.Equal(1, count);
        Assert.InRange(clock.ElapsedMilliseconds, 1000, 4000);
    }

    [Fact]
    public async Task StrayDatagrams_AreDropped_AndTheTransportKeepsWorking()
    {
        await using IceTransport a = NewTransport(5, IceRole.Controlling);
        await using IceTransport b = NewTransport(6, IceRole.Controlled);
        var hosts = new List<IceCandidate>();
        a.LocalCandidate += candidate => { lock (hosts) { hosts.Add(candidate); } };
        Connect(a, b);
        Assert.True(await WaitAsync(() => a.Agent.State == IceConnectionState.Completed && b.Agent.State == IceConnectionState.Completed, 5000));

        using var stray = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stray.Bind(new IPEndPoint(Loopback, 0));
        IPEndPoint target = hosts[0].EndPoint!;
        var random = new Random(77);
        output.WriteLine("seed 77");
        for (int i = 0; i < 200; i++)
        {
            byte[] junk = new byte[random.Next(1, 300)];
            random.NextBytes(junk);
            stray.SendTo(junk, target);
        }

        stray.SendTo(new byte[] { 23, 9, 9, 9 }, target);
        await b.SendAsync(new byte[] { 23, 42 }, CancellationToken.None);
        byte[] buffer = new byte[64];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));

        Assert.Equal(2, await a.ReceiveAsync(buffer, timeout.Token));
        Assert.Equal(42, buffer[1]);
        Assert.True(await WaitAsync(() => a.Agent.Counters.UnverifiedApplicationData >= 1, 2000));
        Assert.Equal(IceConnectionState.Completed, a.Agent.State);
    }

    [Fact]
    public async Task Dispose_EndsReceive_WithClosedLocally()
    {
        IceTransport transport = NewTransport(7, IceRole.Controlling);
        TransportClosedReason? reason = null;
        transport.Closed += r => reason = r;
        transport.Start();
        Task<int> pending = transport.ReceiveAsync(new byte[64], CancellationToken.None).AsTask();

        await transport.DisposeAsync();

        var ex = await Assert.ThrowsAsync<TransportClosedException>(() => pending);
        Assert.Equal(TransportClosedReason.ClosedLocally, ex.Reason);
        Assert.Equal(TransportClosedReason.ClosedLocally, reason);
        await Assert.ThrowsAsync<TransportClosedException>(async () => await transport.SendAsync(new byte[] { 23 }, CancellationToken.None));
    }

    /// <summary>A one-purpose STUN server: answers every Binding request with <paramref name="mapped"/>.</summary>
    private static async Task ServeStunAsync(Socket server, IPEndPoint mapped, CancellationToken stop)
    {
        byte[] buffer = new byte[1500];
        try
        {
            while (true)
            {
                SocketReceiveFromResult result = await server.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop);
                StunMessage request = StunReader.Read(buffer.AsSpan(0, result.ReceivedBytes));
                var response = new StunMessage { Method = StunMethod.Binding, Class = StunClass.SuccessResponse, TransactionId = request.TransactionId, XorMappedAddress = mapped };
                await server.SendToAsync(StunWriter.Encode(response, [], addFingerprint: true), SocketFlags.None, result.RemoteEndPoint, stop);
            }
        }
        catch (OperationCanceledException)
        {
            // the test is done with the server
        }
    }
}
