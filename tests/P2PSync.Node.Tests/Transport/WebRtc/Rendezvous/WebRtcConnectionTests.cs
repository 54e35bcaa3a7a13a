using P2PSync.Node.Security;
using P2PSync.Node.Tests.Transport.WebRtc.Peer;
using P2PSync.Node.Transport.WebRtc.Peer;
using P2PSync.Node.Transport.WebRtc.Rendezvous;

namespace P2PSync.Node.Tests.Transport.WebRtc.Rendezvous;

/// <summary>Noise (SecureChannel) over a "p2psync" data channel of two of our peer connections on 127.0.0.1, as the node runs it.</summary>
public sealed class WebRtcConnectionTests
{
    [Fact]
    public async Task Noise_OverADataChannel_CarriesMessagesBothWays_AndClosing()
    {
        using var alice = RendezvousCodecTests.Key(1);
        using var bob = RendezvousCodecTests.Key(2);
        await using var pair = LoopbackPeerPair.Create(21);
        var (offered, accepted) = await OpenChannelAsync(pair);

        var handshakes = await Task.WhenAll(
            SecureChannel.InitiateAsync(new DataChannelStream(offered), alice, new SecureChannelOptions { AcceptRemote = id => id.Equals(bob.Id) }),
            SecureChannel.RespondAsync(new DataChannelStream(accepted), bob, new SecureChannelOptions { AcceptRemote = id => id.Equals(alice.Id) })).WaitAsync(LoopbackPeerPair.Within);
        var a = new WebRtcConnection(handshakes[0], pair.Offerer, initiatedLocally: true);
        var b = new WebRtcConnection(handshakes[1], pair.Answerer, initiatedLocally: false);
        Assert.Equal(bob.Id, a.RemoteDevice);
        Assert.Equal(alice.Id, b.RemoteDevice);
        Assert.Equal("webrtc", a.Path);

        var big = new byte[1024 * 1024 + 17];
        new Random(5).NextBytes(big);
        using var timeout = new CancellationTokenSource(LoopbackPeerPair.Within);
        await a.SendAsync("hello"u8.ToArray(), timeout.Token);
        await a.SendAsync(big, timeout.Token);
        await b.SendAsync(Array.Empty<byte>(), timeout.Token);
        Assert.Equal("hello"u8.ToArray(), await b.ReceiveAsync(timeout.Token));
        Assert.Equal(big, await b.ReceiveAsync(timeout.Token));
        Assert.Equal(Array.Empty<byte>(), await a.ReceiveAsync(timeout.Token));

        var ended = 0;
        a.Ended += _ => ended++;
        await a.DisposeAsync();
        await a.DisposeAsync();
        Assert.Equal(1, ended);
        Assert.Null(await b.ReceiveAsync(timeout.Token));
        await b.DisposeAsync();
    }

    [Fact]
    public async Task Noise_RefusesAnUnexpectedDevice()
    {
        using var alice = RendezvousCodecTests.Key(1);
        using var bob = RendezvousCodecTests.Key(2);
        using var carol = RendezvousCodecTests.Key(3);
        await using var pair = LoopbackPeerPair.Create(22);
        var (offered, accepted) = await OpenChannelAsync(pair);

        // Alice expects carol; bob answers: the initiator refuses before it reveals itself.
        var initiating = SecureChannel.InitiateAsync(new DataChannelStream(offered), alice, new SecureChannelOptions { AcceptRemote = id => id.Equals(carol.Id) });
        var responding = SecureChannel.RespondAsync(new DataChannelStream(accepted), bob, new SecureChannelOptions { AcceptRemote = _ => true, HandshakeTimeout = TimeSpan.FromSeconds(3) });
        await Assert.ThrowsAsync<ProtocolViolationException>(() => initiating.WaitAsync(LoopbackPeerPair.Within));
        await Assert.ThrowsAnyAsync<Exception>(() => responding.WaitAsync(LoopbackPeerPair.Within));
    }

    private static async Task<(DataChannel Offered, DataChannel Accepted)> OpenChannelAsync(LoopbackPeerPair pair)
    {
        var offered = pair.Offerer.CreateDataChannel(NodeChannelLabel);
        await pair.ConnectAsync();
        using var timeout = new CancellationTokenSource(LoopbackPeerPair.Within);
        await foreach (var channel in pair.Answerer.AcceptDataChannelsAsync(timeout.Token))
        {
            await offered.Opened.WaitAsync(timeout.Token);
            return (offered, channel);
        }

        throw new InvalidOperationException("no channel");
    }

    private const string NodeChannelLabel = P2PSync.Node.Hosting.NodeWebRtc.ChannelLabel;
}
