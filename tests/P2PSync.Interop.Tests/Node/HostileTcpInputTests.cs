using System.Net.Http.Json;
using System.Net.Sockets;
using P2PSync.Node.Api;
using P2PSync.Node.Identity;
using P2PSync.Node.Security;

namespace P2PSync.Interop.Tests.Node;

/// <summary>Strangers and broken peers on the TCP port: each costs only its own connection.</summary>
[Collection("node processes")]
public sealed class HostileTcpInputTests
{
    [Fact]
    public async Task HostileBytes_LeaveTheNodeServingItsPeers()
    {
        await using var a = await NodeProcess.StartAsync("a");
        await using var b = await NodeProcess.StartAsync("b");
        await a.TrustAsync(b);
        await b.TrustAsync(a);
        var doc = await a.CreateDocAsync("target");
        await a.AppendAsync(doc.Id, "before;");
        await NodeSyncProcessTests.ConvergedAsync(doc.Id, ["before;"], a, b);

        var random = new Random(4242);
        // 1. Random bytes of random lengths.
        for (var i = 0; i < 20; i++)
        {
            var noise = new byte[random.Next(1, 4096)];
            random.NextBytes(noise);
            await SendRawAsync(a.Port, noise);
        }

        // 2. Truncated handshakes: a frame header promising more than is sent, then EOF.
        await SendRawAsync(a.Port, [0x00, 0x20, 1, 2, 3]);
        await SendRawAsync(a.Port, [0x00]);
        // 3. A maximal frame of garbage.
        var big = new byte[2 + 65535];
        random.NextBytes(big);
        big[0] = 0xff;
        big[1] = 0xff;
        await SendRawAsync(a.Port, big);

        // 4. An untrusted device with a valid handshake is refused.
        using (var stranger = DeviceKey.Generate())
        {
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", a.Port);
                await using var channel = await SecureChannel.InitiateAsync(client.GetStream(), stranger);
                await channel.SendAsync(new byte[] { 1, 2, 3 });
                Assert.Null(await channel.ReceiveAsync());
                throw new IOException("closed as expected");
            });
        }

        // 5. A trusted device that sends garbage after a good handshake: tampered frames, then non-protobuf messages.
        using (var insider = DeviceKey.Generate())
        {
            var added = await a.Http.PostAsJsonAsync("api/peers", new AddPeerRequest(insider.Id.ToString(), null));
            added.EnsureSuccessStatusCode();
            using (var client = new TcpClient())
            {
                await client.ConnectAsync("127.0.0.1", a.Port);
                var stream = client.GetStream();
                await using var channel = await SecureChannel.InitiateAsync(stream, insider, new SecureChannelOptions { LeaveOpen = true });
                var forged = new byte[2 + 48];
                random.NextBytes(forged);
                forged[0] = 0;
                forged[1] = 48;
                await stream.WriteAsync(forged);
                await ExpectClosedAsync(stream);
            }

            using (var client = new TcpClient())
            {
                await client.ConnectAsync("127.0.0.1", a.Port);
                var stream = client.GetStream();
                await using var channel = await SecureChannel.InitiateAsync(stream, insider, new SecureChannelOptions { LeaveOpen = true });
                var garbage = new byte[100];
                random.NextBytes(garbage);
                await channel.SendAsync(garbage);
                await ExpectClosedAsync(stream);
            }
        }

        // The node still syncs with its real peer, both ways.
        await b.AppendAsync(doc.Id, "from b after the attack;");
        await a.AppendAsync(doc.Id, "from a after the attack;");
        await NodeSyncProcessTests.ConvergedAsync(doc.Id, ["before;", "from b after the attack;", "from a after the attack;"], a, b);
        var status = await a.StatusAsync();
        Assert.True(status.Peers.Single(p => p.DeviceId == b.DeviceId).Connected);
        Assert.Contains("refused connection", a.Log, StringComparison.Ordinal);
    }

    private static async Task SendRawAsync(int port, byte[] bytes)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(bytes);
            client.Client.Shutdown(SocketShutdown.Send);
            await ExpectClosedAsync(stream);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            // The node reset the connection: as good as a close.
        }
    }

    /// <summary>Reads until the node closes the connection (EOF or reset), at most 15 s.</summary>
    private static async Task ExpectClosedAsync(Stream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // Reset by the node.
        }
    }
}
