using P2PSync.Node.Transport.WebRtc;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

public sealed class DtlsSessionCloseTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Closing_one_side_sends_close_notify_and_the_other_side_ends_as_closed_by_peer(bool serverCloses)
    {
        await using var pair = new DtlsTestPair();
        await pair.ConnectAsync(aIsServer: serverCloses);
        var peerReasons = new List<TransportClosedReason>();
        var ownReasons = new List<TransportClosedReason>();
        pair.B.Closed += r => { lock (peerReasons) { peerReasons.Add(r); } };
        pair.A.Closed += ownReasons.Add;

        // Data sent just before the close is still delivered; then the end is reported.
        await pair.A.SendAsync("last words"u8.ToArray(), CancellationToken.None);
        await pair.A.DisposeAsync();

        Assert.Equal("last words"u8.ToArray(), await DtlsTestPair.ReceiveAsync(pair.B));
        var ended = await Assert.ThrowsAsync<TransportClosedException>(() => DtlsTestPair.ReceiveAsync(pair.B));
        Assert.Equal(TransportClosedReason.ClosedByPeer, ended.Reason);
        Assert.Equal([TransportClosedReason.ClosedByPeer], peerReasons);
        Assert.Equal([TransportClosedReason.ClosedLocally], ownReasons);
        var refused = await Assert.ThrowsAsync<TransportClosedException>(async () => await pair.A.SendAsync(new byte[1], CancellationToken.None));
        Assert.Equal(TransportClosedReason.ClosedLocally, refused.Reason);
        await Assert.ThrowsAsync<TransportClosedException>(async () => await pair.B.SendAsync(new byte[1], CancellationToken.None));
    }

    [Fact]
    public async Task When_the_path_below_ends_both_sessions_end_with_its_reason()
    {
        await using var pair = new DtlsTestPair();
        await pair.ConnectAsync();

        pair.Link.Cut(TransportClosedReason.TimedOut);

        foreach (var session in new[] { pair.A, pair.B })
        {
            var ended = await Assert.ThrowsAsync<TransportClosedException>(() => DtlsTestPair.ReceiveAsync(session));
            Assert.Equal(TransportClosedReason.TimedOut, ended.Reason);
        }
    }

    [Fact]
    public async Task Closing_before_the_handshake_ends_it_as_closed_locally()
    {
        await using var pair = new DtlsTestPair();
        pair.A.Start(P2PSync.Node.Transport.WebRtc.Dtls.DtlsRole.Server, [pair.CertificateB.Fingerprint]);

        await pair.A.DisposeAsync();

        var ended = await Assert.ThrowsAsync<TransportClosedException>(() => pair.A.Connected.WaitAsync(DtlsTestPair.Patience));
        Assert.Equal(TransportClosedReason.ClosedLocally, ended.Reason);
    }
}
