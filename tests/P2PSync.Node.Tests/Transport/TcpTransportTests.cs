using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;
using P2PSync.Node.Security;
using P2PSync.Node.Transport;
using P2PSync.Node.Transport.Tcp;

namespace P2PSync.Node.Tests.Transport;

public sealed class TcpTransportTests
{
    private static readonly TimeSpan Handshake = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task TrustedDial_DeliversMessagesBothWays_OverIPv4AndIPv6(string host)
    {
        using var server = DeviceKey.Generate();
        using var client = DeviceKey.Generate();
        await using var listener = TcpNodeListener.Start(0, server, id => id.Equals(client.Id), Handshake, Logger(out _));
        var accepting = FirstAsync(listener);

        await using var outgoing = await new TcpDialer(client, Handshake).DialAsync(PeerAddress.Parse($"{host}:{listener.Port}"), server.Id, CancellationToken.None);
        await using var incoming = await accepting;

        Assert.Equal(server.Id, outgoing.RemoteDevice);
        Assert.Equal(client.Id, incoming.RemoteDevice);
        Assert.Equal("lan", incoming.Path);
        var big = new byte[200_000];
        new Random(5).NextBytes(big);
        await outgoing.SendAsync(big, CancellationToken.None);
        Assert.Equal(big, await incoming.ReceiveAsync(CancellationToken.None));
        await incoming.SendAsync(new byte[] { 9 }, CancellationToken.None);
        Assert.Equal(new byte[] { 9 }, await outgoing.ReceiveAsync(CancellationToken.None));
    }

    [Fact]
    public async Task UntrustedDevice_IsRefusedAndLogged_AndTheListenerKeepsServing()
    {
        using var server = DeviceKey.Generate();
        using var friend = DeviceKey.Generate();
        using var stranger = DeviceKey.Generate();
        await using var listener = TcpNodeListener.Start(0, server, id => id.Equals(friend.Id), Handshake, Logger(out var log));
        var address = PeerAddress.Parse($"127.0.0.1:{listener.Port}");

        await using (var refused = await new TcpDialer(stranger, Handshake).DialAsync(address, server.Id, CancellationToken.None))
        {
            // The initiator finishes its side first; the listener then closes the socket.
            Assert.Null(await refused.ReceiveAsync(CancellationToken.None));
        }

        var accepting = FirstAsync(listener);
        await using var ok = await new TcpDialer(friend, Handshake).DialAsync(address, server.Id, CancellationToken.None);
        await using var accepted = await accepting;
        Assert.Equal(friend.Id, accepted.RemoteDevice);
        Assert.Contains("not trusted", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dialing_TheWrongDevice_FailsBeforeRevealingWhoWeAre()
    {
        using var server = DeviceKey.Generate();
        using var client = DeviceKey.Generate();
        using var expected = DeviceKey.Generate();
        await using var listener = TcpNodeListener.Start(0, server, _ => true, Handshake, Logger(out _));

        await Assert.ThrowsAsync<ProtocolViolationException>(() =>
            new TcpDialer(client, Handshake).DialAsync(PeerAddress.Parse($"127.0.0.1:{listener.Port}"), expected.Id, CancellationToken.None));
    }

    [Fact]
    public async Task SeededRandomBytes_CloseOnlyTheirSocket()
    {
        using var server = DeviceKey.Generate();
        using var friend = DeviceKey.Generate();
        await using var listener = TcpNodeListener.Start(0, server, id => id.Equals(friend.Id), Handshake, Logger(out _));
        var random = new Random(8080);
        for (var i = 0; i < 25; i++)
        {
            var bytes = new byte[random.Next(1, 3000)];
            random.NextBytes(bytes);
            using var socket = new TcpClient();
            await socket.ConnectAsync("127.0.0.1", listener.Port);
            var stream = socket.GetStream();
            try
            {
                await stream.WriteAsync(bytes);
                socket.Client.Shutdown(SocketShutdown.Send);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                while (await stream.ReadAsync(new byte[1024], timeout.Token) > 0)
                {
                }
            }
            catch (IOException)
            {
                // Reset by the listener: closed, as expected.
            }
        }

        var accepting = FirstAsync(listener);
        await using var ok = await new TcpDialer(friend, Handshake).DialAsync(PeerAddress.Parse($"127.0.0.1:{listener.Port}"), server.Id, CancellationToken.None);
        await using var accepted = await accepting;
        Assert.Equal(friend.Id, accepted.RemoteDevice);
    }

    [Fact]
    public async Task TamperedFrameAfterHandshake_EndsThatConnectionAsClosed()
    {
        using var server = DeviceKey.Generate();
        using var friend = DeviceKey.Generate();
        await using var listener = TcpNodeListener.Start(0, server, _ => true, Handshake, Logger(out _));
        var accepting = FirstAsync(listener);
        using var socket = new TcpClient();
        await socket.ConnectAsync("127.0.0.1", listener.Port);
        var stream = socket.GetStream();
        await using var channel = await SecureChannel.InitiateAsync(stream, friend, new SecureChannelOptions { LeaveOpen = true });
        await using var accepted = (TcpConnection)await accepting;

        await stream.WriteAsync(new byte[] { 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 });

        Assert.Null(await accepted.ReceiveAsync(CancellationToken.None));
        Assert.NotNull(accepted.CloseReason);
    }

    [Fact]
    public async Task DialingAClosedPort_FailsWithSocketException()
    {
        using var client = DeviceKey.Generate();
        using var other = DeviceKey.Generate();
        using var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        await Assert.ThrowsAnyAsync<SocketException>(() =>
            new TcpDialer(client, Handshake).DialAsync(PeerAddress.Parse($"127.0.0.1:{port}"), other.Id, CancellationToken.None));
    }

    private static async Task<IConnection> FirstAsync(TcpNodeListener listener)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var connection in listener.AcceptAsync(timeout.Token))
        {
            return connection;
        }

        throw new InvalidOperationException("listener ended");
    }

    private static ILogger Logger(out StringWriter log)
    {
        log = new StringWriter();
        return new TextWriterLoggerProvider(TextWriter.Synchronized(log), TimeProvider.System, LogLevel.Debug).CreateLogger("tcp");
    }
}
