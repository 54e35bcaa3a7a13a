using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using P2PSync.Node.Hosting;
using P2PSync.Node.Transport.WebRtc.Peer;

namespace P2PSync.Node.Tests.Transport.WebRtc.YWebRtc;

/// <summary>The node's share service: one room member per room, the same share twice is one, conflicts refused.</summary>
public sealed class YWebRtcSharesTests
{
    private static readonly Uri Relay = new("http://127.0.0.1:9/");

    [Fact]
    public async Task ShareTwiceIsOneShare_OtherDocumentOrPasswordIsRefused_UnshareLeaves()
    {
        await using var side = new RoomDocument(1);
        var other = side.Hub.Create("other", "test").Id;
        var relay = new InMemorySignalHub();
        var opened = 0;
        await using var shares = new YWebRtcShares(
            side.Hub, side.Awareness, () => Relay, new PeerConnectionOptions { BindAddresses = [IPAddress.Loopback] }, TimeProvider.System, new Random(7), NullLogger.Instance,
            url =>
            {
                Assert.Equal(Relay, url);
                opened++;
                return relay.Join();
            });

        var first = await shares.ShareAsync(side.DocId, "room", "pw", CancellationToken.None);
        var again = await shares.ShareAsync(side.DocId, "room", "pw", CancellationToken.None);
        Assert.Equal(first.PeerId, again.PeerId);
        Assert.True(first.Encrypted);
        Assert.Equal(1, opened);

        var otherDoc = await Assert.ThrowsAsync<RoomAlreadySharedException>(() => shares.ShareAsync(other, "room", "pw", CancellationToken.None));
        Assert.Contains($"already shared with document {side.DocId}", otherDoc.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RoomAlreadySharedException>(() => shares.ShareAsync(side.DocId, "room", "another", CancellationToken.None));

        var open = await shares.ShareAsync(other, "second room", "", CancellationToken.None);
        Assert.False(open.Encrypted);
        Assert.Equal(2, shares.List().Count);

        Assert.False(await shares.UnshareAsync(other, "room", CancellationToken.None));
        Assert.True(await shares.UnshareAsync(side.DocId, "room", CancellationToken.None));
        Assert.Equal(["second room"], shares.List().Select(s => s.Room));
    }

    [Fact]
    public async Task UnknownDocumentBadNameAndNoRelayAreRefusedBeforeAnythingOpens()
    {
        await using var side = new RoomDocument(1);
        var opened = 0;
        Uri? relay = null;
        await using var shares = new YWebRtcShares(
            side.Hub, side.Awareness, () => relay, new PeerConnectionOptions(), TimeProvider.System, new Random(8), NullLogger.Instance,
            _ =>
            {
                opened++;
                return new InMemorySignalHub().Join();
            });

        await Assert.ThrowsAsync<UnknownDocumentException>(() => shares.ShareAsync("nope", "room", null, CancellationToken.None));
        await Assert.ThrowsAsync<BadRoomNameException>(() => shares.ShareAsync(side.DocId, " ", null, CancellationToken.None));
        await Assert.ThrowsAsync<BadRoomNameException>(() => shares.ShareAsync(side.DocId, "bad \ud800 surrogate", null, CancellationToken.None));
        var noRelay = await Assert.ThrowsAsync<RelayNotConfiguredException>(() => shares.ShareAsync(side.DocId, "room", null, CancellationToken.None));
        Assert.Contains("p2psync relay add", noRelay.Message, StringComparison.Ordinal);
        Assert.Equal(0, opened);
    }
}
