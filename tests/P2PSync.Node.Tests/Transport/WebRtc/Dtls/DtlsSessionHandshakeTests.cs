using System.Text;
using P2PSync.Node.Tests.Security;
using P2PSync.Node.Tests.Support;
using P2PSync.Node.Tests.Transport.WebRtc.Support;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Dtls;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

public sealed class DtlsSessionHandshakeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Both_roles_connect_with_our_suite_and_extended_master_secret_and_carry_data_both_ways(bool aIsServer)
    {
        await using var pair = new DtlsTestPair();
        await pair.ConnectAsync(aIsServer);

        foreach (var session in new[] { pair.A, pair.B })
        {
            Assert.Equal(0xC02B, session.CipherSuite);
            Assert.True(session.ExtendedMasterSecret);
        }

        Assert.Equal(aIsServer ? DtlsRole.Server : DtlsRole.Client, pair.A.Role);
        Assert.Equal(pair.CertificateB.Fingerprint.ToString(), pair.A.PeerFingerprint?.ToString());
        Assert.Equal(pair.CertificateA.Fingerprint.ToString(), pair.B.PeerFingerprint?.ToString());

        await pair.A.SendAsync("from A"u8.ToArray(), CancellationToken.None);
        await pair.B.SendAsync("from B"u8.ToArray(), CancellationToken.None);
        Assert.Equal("from A", Encoding.UTF8.GetString(await DtlsTestPair.ReceiveAsync(pair.B)));
        Assert.Equal("from B", Encoding.UTF8.GetString(await DtlsTestPair.ReceiveAsync(pair.A)));
    }

    [Fact]
    public async Task A_full_size_datagram_goes_through_and_one_byte_more_is_refused()
    {
        await using var pair = new DtlsTestPair();
        await pair.ConnectAsync();

        Assert.Equal(1232 - 37, pair.A.MaxDatagramSize);
        var largest = new byte[pair.A.MaxDatagramSize];
        new Random(5).NextBytes(largest);
        await pair.A.SendAsync(largest, CancellationToken.None);
        Assert.Equal(largest, await DtlsTestPair.ReceiveAsync(pair.B));
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await pair.A.SendAsync(new byte[pair.A.MaxDatagramSize + 1], CancellationToken.None));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_client_certificate_that_does_not_match_the_sdp_fingerprint_is_refused_by_both_sides(bool serverIsWrong)
    {
        await using var pair = new DtlsTestPair();
        var stranger = DtlsCertificate.Generate(TimeProvider.System).Fingerprint;

        // A is the server. Either it expects someone else, or the client expects someone else.
        pair.Start(aIsServer: true, aExpects: serverIsWrong ? stranger : null, bExpects: serverIsWrong ? null : stranger);

        var refusing = serverIsWrong ? pair.A : pair.B;
        var refused = serverIsWrong ? pair.B : pair.A;
        var refusal = await Assert.ThrowsAsync<TransportClosedException>(() => refusing.Connected.WaitAsync(DtlsTestPair.Patience));
        Assert.Equal(TransportClosedReason.ProtocolError, refusal.Reason);
        Assert.Contains("matches no fingerprint", refusal.Message);

        var told = await Assert.ThrowsAsync<TransportClosedException>(() => refused.Connected.WaitAsync(DtlsTestPair.Patience));
        Assert.Equal(TransportClosedReason.ProtocolError, told.Reason);
        Assert.Contains("bad_certificate", told.Message);
        await Assert.ThrowsAsync<TransportClosedException>(async () => await refusing.SendAsync(new byte[1], CancellationToken.None));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task The_handshake_completes_over_a_link_that_loses_duplicates_and_reorders(int seed)
    {
        // BC waits 1 s before resending a flight and doubles that each time, so losses cost seconds:
        // the rates are set so a run needs a few retransmissions, not a dozen.
        var impairment = new LinkImpairment(seed, Loss: 0.08, Duplicate: 0.2, Reorder: 0.2);
        output.WriteLine($"link seed {seed}: {impairment}");
        await using var pair = new DtlsTestPair(impairment, new DtlsSessionOptions { HandshakeTimeout = TimeSpan.FromSeconds(45) });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await pair.ConnectAsync(aIsServer: seed % 2 == 0);
        output.WriteLine($"connected after {clock.ElapsedMilliseconds} ms; lost {pair.Link.Lost}, duplicated {pair.Link.Duplicated}, reordered {pair.Link.Reordered}");
        Assert.True(pair.Link.Lost + pair.Link.Duplicated + pair.Link.Reordered > 0, "the seed impaired nothing");

        Assert.True(pair.A.ExtendedMasterSecret && pair.B.ExtendedMasterSecret);
        Assert.Null(pair.A.ClosedReason);
        Assert.Null(pair.B.ClosedReason);
    }

    [Fact]
    public async Task A_lost_server_flight_is_retransmitted_and_the_handshake_completes()
    {
        await using var pair = new DtlsTestPair();
        var dropped = 0;

        // The server's first flight is five datagrams (ServerHello .. ServerHelloDone); lose all of them once.
        pair.Link.A.DropWhen = _ => Interlocked.Increment(ref dropped) <= 5;
        await pair.ConnectAsync(aIsServer: true);

        Assert.True(pair.Link.A.Sent > 5, $"server sent {pair.Link.A.Sent} datagrams");
        await pair.B.SendAsync("after the loss"u8.ToArray(), CancellationToken.None);
        Assert.Equal("after the loss", Encoding.UTF8.GetString(await DtlsTestPair.ReceiveAsync(pair.A)));
    }

    [Fact]
    public async Task Datagrams_that_arrive_before_the_role_is_known_are_kept_for_the_handshake()
    {
        await using var pair = new DtlsTestPair();

        // B is the answerer and starts as client at once; A learns its role (server) only later.
        pair.B.Start(DtlsRole.Client, [pair.CertificateA.Fingerprint]);
        await Eventually.HoldsAsync(() => pair.A.DatagramsQueued > 0, DtlsTestPair.Patience);
        pair.A.Start(DtlsRole.Server, [pair.CertificateB.Fingerprint]);

        await Task.WhenAll(pair.A.Connected, pair.B.Connected).WaitAsync(DtlsTestPair.Patience);
        Assert.True(pair.A.ExtendedMasterSecret);
    }

    [Fact]
    public async Task A_peer_that_never_answers_ends_the_handshake_as_timed_out()
    {
        var clock = new ManualTimeProvider();
        await using var link = new InMemoryDatagramLink();
        await using var session = new DtlsSession(
            link.A, DtlsCertificate.Generate(clock), new DtlsSessionOptions { HandshakeTimeout = TimeSpan.FromSeconds(10), Time = clock });
        var reasons = new List<TransportClosedReason>();
        session.Closed += reasons.Add;
        session.Start(DtlsRole.Client, [DtlsCertificate.Generate(clock).Fingerprint]);
        await Eventually.HoldsAsync(() => link.A.Sent > 0, DtlsTestPair.Patience);

        clock.Advance(TimeSpan.FromSeconds(10));

        var ended = await Assert.ThrowsAsync<TransportClosedException>(() => session.Connected.WaitAsync(DtlsTestPair.Patience));
        Assert.Equal(TransportClosedReason.TimedOut, ended.Reason);
        Assert.Contains("did not finish within 10 s", ended.Message);
        Assert.Equal([TransportClosedReason.TimedOut], reasons);
    }

    [Fact]
    public async Task Starting_twice_or_without_fingerprints_is_refused()
    {
        await using var link = new InMemoryDatagramLink();
        await using var session = new DtlsSession(link.A, DtlsCertificate.Generate(TimeProvider.System));
        Assert.Throws<ArgumentException>(() => session.Start(DtlsRole.Server, []));
        session.Start(DtlsRole.Server, [DtlsCertificate.Generate(TimeProvider.System).Fingerprint]);
        Assert.Throws<InvalidOperationException>(() => session.Start(DtlsRole.Server, [DtlsCertificate.Generate(TimeProvider.System).Fingerprint]));
    }
}
