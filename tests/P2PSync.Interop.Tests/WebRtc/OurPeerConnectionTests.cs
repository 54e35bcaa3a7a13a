using P2PSync.Node.Transport.WebRtc.Peer;
using Xunit;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// Our whole stack (ICE, DTLS, SCTP, DCEP behind PeerConnection) against Chromium and werift in
/// network namespaces, both offer directions: a channel the peer opens and one we open, text and
/// binary both ways on each, then a close from each side seen by both.
/// </summary>
[Collection(WebRtcCollection.Name)]
public sealed class OurPeerConnectionTests
{
    private readonly ITestOutputHelper _output;

    public OurPeerConnectionTests(ITestOutputHelper output) => _output = output;

    [WeriftFact]
    public Task We_offer_to_werift() => RunAsync(PeerDriver.Werift, weOffer: true, seed: 8201);

    [WeriftFact]
    public Task Werift_offers_to_us() => RunAsync(PeerDriver.Werift, weOffer: false, seed: 8202);

    [ChromiumFact]
    public Task We_offer_to_chromium() => RunAsync(PeerDriver.Chromium, weOffer: true, seed: 8203);

    [ChromiumFact]
    public Task Chromium_offers_to_us() => RunAsync(PeerDriver.Chromium, weOffer: false, seed: 8204);

    private async Task RunAsync(PeerDriver driver, bool weOffer, int seed)
    {
        _output.WriteLine($"seed {seed}");
        await using var lan = await VethLan.CreateAsync();
        await using var peer = await RemotePeer.StartAsync(driver, lan.A);
        _output.WriteLine($"{driver} {peer.Version}; {lan}");
        await using var ours = OurPeerConnectionEndpoint.Create(lan.B, seed, _output);
        await peer.CreatePeerAsync();

        // The peer's channel: made before its offer when it offers (its offer needs a data section), else before its answer.
        await peer.CreateDataChannelAsync("from-peer");
        var fromUs = ours.Connection.CreateDataChannel("from-us", new DataChannelOptions { Protocol = "p2psync" });
        await ours.ConnectAsync(peer, weOffer);

        var theirs = await ours.AcceptAsync();
        Assert.Equal("from-peer", theirs.Label);
        await fromUs.Opened.WaitAsync(OurPeerConnectionEndpoint.Within);
        var opened = await peer.WaitForAsync<ChannelOpenEvent>(c => c.Label == "from-us", OurPeerConnectionEndpoint.Within, "our channel open at the peer");
        Assert.Equal(fromUs.Id, opened.Id);
        Assert.Equal("p2psync", opened.Protocol);

        // Our stream ids follow our DTLS role: the answerer is the client (even ids).
        Assert.Equal(weOffer ? 1 : 0, fromUs.Id % 2);
        Assert.Equal(weOffer ? 0 : 1, theirs.Id % 2);

        var random = new Random(seed);
        foreach (var (channel, label) in new[] { (fromUs, "from-us"), (theirs, "from-peer") })
        {
            var binary = new byte[3000];
            random.NextBytes(binary);
            await channel.SendAsync($"hello on {label} ✓ ünïcödé", CancellationToken.None);
            await channel.SendAsync(binary, CancellationToken.None);
            await peer.WaitForAsync<ChannelMessageEvent>(m => m.Label == label && m.Binary is { Length: 3000 }, OurPeerConnectionEndpoint.Within, $"our binary message on {label}");
            var atPeer = peer.Events.OfType<ChannelMessageEvent>().Where(m => m.Label == label).ToList();
            Assert.Equal($"hello on {label} ✓ ünïcödé", atPeer[0].Text);
            Assert.Equal(binary, atPeer[1].Binary);

            await peer.SendTextAsync(label, $"reply on {label} 🚀");
            await peer.SendBinaryAsync(label, binary.AsSpan(0, 100));
            var text = await OurPeerConnectionEndpoint.ReceiveAsync(channel);
            Assert.True(text.IsText);
            Assert.Equal($"reply on {label} 🚀", text.Text);
            var bytes = await OurPeerConnectionEndpoint.ReceiveAsync(channel);
            Assert.False(bytes.IsText);
            Assert.Equal(binary.AsSpan(0, 100).ToArray(), bytes.Data.ToArray());
        }

        // We close ours, the peer closes its own: both sides see both closes.
        await fromUs.CloseAsync();
        await peer.CloseChannelAsync("from-peer");
        await Task.WhenAll(fromUs.Closed, theirs.Closed).WaitAsync(OurPeerConnectionEndpoint.Within);
        await peer.WaitForAsync<ChannelCloseEvent>(c => c.Label == "from-us", OurPeerConnectionEndpoint.Within, "our channel closed at the peer");
        await peer.WaitForAsync<ChannelCloseEvent>(c => c.Label == "from-peer", OurPeerConnectionEndpoint.Within, "its channel closed at the peer");
        Assert.Equal(PeerConnectionState.Connected, ours.Connection.State);
        Assert.Empty(peer.Events.OfType<DriverErrorEvent>());
        var stats = ours.Connection.GetStats();
        _output.WriteLine($"ours at the end: {stats}");
        Assert.Equal(0, stats.DcepRefused);
    }
}
