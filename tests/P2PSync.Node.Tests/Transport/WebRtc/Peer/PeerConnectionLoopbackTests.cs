using System.Text;
using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Dtls;
using P2PSync.Node.Transport.WebRtc.Peer;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Peer;

/// <summary>Two of our whole stacks (ICE, DTLS, SCTP, DCEP) against each other over 127.0.0.1.</summary>
public sealed class PeerConnectionLoopbackTests
{
    private readonly ITestOutputHelper _output;

    public PeerConnectionLoopbackTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task Both_sides_connect_and_the_answerer_is_the_dtls_client()
    {
        await using var pair = Pair(1001);
        var states = new List<PeerConnectionState>();
        pair.Offerer.StateChanged += s => { lock (states) { states.Add(s); } };
        await pair.ConnectAsync();

        Assert.Equal(PeerConnectionState.Connected, pair.Offerer.State);
        Assert.Equal(PeerConnectionState.Connected, pair.Answerer.State);
        var offerer = pair.Offerer.GetStats();
        var answerer = pair.Answerer.GetStats();
        _output.WriteLine($"offerer {offerer}");
        Assert.Equal(DtlsRole.Server, offerer.DtlsRole);
        Assert.Equal(DtlsRole.Client, answerer.DtlsRole);
        Assert.Equal(0xC02B, offerer.DtlsCipherSuite);
        Assert.NotNull(offerer.SelectedPair);
        Assert.Equal(2 * 1024 * 1024, offerer.RemoteMaxMessageSize);
        lock (states)
        {
            Assert.Equal([PeerConnectionState.Connecting, PeerConnectionState.Connected], states);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_channel_opened_by_either_side_carries_text_binary_and_empty_messages(bool offererOpens)
    {
        await using var pair = Pair(offererOpens ? 1011 : 1012);
        var (opener, accepter) = offererOpens ? (pair.Offerer, pair.Answerer) : (pair.Answerer, pair.Offerer);
        var ours = opener.CreateDataChannel("chat", new DataChannelOptions { Protocol = "p1" });
        await pair.ConnectAsync();
        var theirs = await AcceptOneAsync(accepter);

        Assert.Equal("chat", theirs.Label);
        Assert.Equal("p1", theirs.Protocol);
        Assert.Equal(ours.Id, theirs.Id);
        Assert.Equal(DataChannelState.Open, theirs.State);
        await ours.Opened.WaitAsync(LoopbackPeerPair.Within);

        await ours.SendAsync("hello", CancellationToken.None);
        await ours.SendAsync(string.Empty, CancellationToken.None);
        await ours.SendAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);
        await ours.SendAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        await theirs.SendAsync("back", CancellationToken.None);

        Assert.Equal(new DataChannelMessage(true, Encoding.UTF8.GetBytes("hello")).Text, (await ReceiveAsync(theirs)).Text);
        var empty = await ReceiveAsync(theirs);
        Assert.True(empty.IsText);
        Assert.Equal(0, empty.Data.Length);
        var binary = await ReceiveAsync(theirs);
        Assert.False(binary.IsText);
        Assert.Equal([1, 2, 3], binary.Data.ToArray());
        var emptyBinary = await ReceiveAsync(theirs);
        Assert.False(emptyBinary.IsText);
        Assert.Equal(0, emptyBinary.Data.Length);
        Assert.Equal("back", (await ReceiveAsync(ours)).Text);
    }

    [Fact]
    public async Task A_one_mebibyte_message_crosses_in_both_directions()
    {
        await using var pair = Pair(1021);
        var ours = pair.Offerer.CreateDataChannel("bulk");
        await pair.ConnectAsync();
        var theirs = await AcceptOneAsync(pair.Answerer);
        var big = new byte[1024 * 1024];
        new Random(1021).NextBytes(big);

        await ours.SendAsync(big, CancellationToken.None);
        await theirs.SendAsync(big, CancellationToken.None);
        Assert.Equal(big, (await ReceiveAsync(theirs)).Data.ToArray());
        Assert.Equal(big, (await ReceiveAsync(ours)).Data.ToArray());

        // Over the peer's announced limit: refused before anything is queued.
        await Assert.ThrowsAsync<ArgumentException>(async () => await ours.SendAsync(new byte[(2 * 1024 * 1024) + 1], CancellationToken.None));
    }

    [Fact]
    public async Task A_send_made_before_the_connection_exists_waits_and_is_judged_by_the_answers_limit()
    {
        await using var pair = Pair(1022);
        var early = pair.Offerer.CreateDataChannel("early");
        var big = new byte[1024 * 1024];
        new Random(1022).NextBytes(big);
        var sending = early.SendAsync(big, CancellationToken.None).AsTask();
        Assert.False(sending.IsCompleted);

        await pair.ConnectAsync();
        await sending.WaitAsync(LoopbackPeerPair.Within);
        Assert.Equal(big, (await ReceiveAsync(await AcceptOneAsync(pair.Answerer))).Data.ToArray());
    }

    [Fact]
    public async Task Bulk_data_arrives_whole_and_in_order_with_the_sender_held_back_by_the_high_water_mark()
    {
        await using var pair = Pair(1023);
        var ours = pair.Offerer.CreateDataChannel("bulk");
        await pair.ConnectAsync();
        var theirs = await AcceptOneAsync(pair.Answerer);
        const int count = 256;
        var message = new byte[64 * 1024];
        var peakBuffered = 0L;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                message[0] = (byte)i;
                await ours.SendAsync(message, CancellationToken.None);
                peakBuffered = Math.Max(peakBuffered, ours.BufferedAmount);
            }
        });
        for (var i = 0; i < count; i++)
        {
            var received = await ReceiveAsync(theirs);
            Assert.Equal(message.Length, received.Data.Length);
            Assert.Equal((byte)i, received.Data.Span[0]);
        }

        await sending;
        var seconds = clock.Elapsed.TotalSeconds;
        _output.WriteLine($"{count * message.Length / 1048576.0 / seconds:0.0} MiB/s over loopback; peak buffered {peakBuffered} bytes; {pair.Offerer.GetStats()}");

        // The wait is above the high-water mark: at most one message over it can be queued.
        Assert.True(peakBuffered <= LoopbackPeerPair.DefaultOptions.SendHighWaterMark + message.Length, $"peak buffered {peakBuffered}");
    }

    [Fact]
    public async Task A_message_over_the_peers_default_limit_is_refused_when_it_announced_none_bigger()
    {
        var small = LoopbackPeerPair.DefaultOptions with { MaxMessageSize = 65536 };
        await using var pair = LoopbackPeerPair.Create(1025, answererOptions: small);
        var ours = pair.Offerer.CreateDataChannel("limited");
        await pair.ConnectAsync();
        Assert.Equal(65536, ours.MaxMessageSize);
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await ours.SendAsync(new byte[65537], CancellationToken.None));
        Assert.Contains("65536", error.Message);
        await ours.SendAsync(new byte[65536], CancellationToken.None);
        var theirs = await AcceptOneAsync(pair.Answerer);
        Assert.Equal(65536, (await ReceiveAsync(theirs)).Data.Length);
    }

    [Fact]
    public async Task Many_channels_from_both_sides_work_at_once()
    {
        await using var pair = Pair(1031);
        await pair.ConnectAsync();
        var fromOfferer = Enumerable.Range(0, 10).Select(i => pair.Offerer.CreateDataChannel($"o{i}")).ToList();
        var fromAnswerer = Enumerable.Range(0, 10).Select(i => pair.Answerer.CreateDataChannel($"a{i}")).ToList();
        foreach (var channel in fromOfferer.Concat(fromAnswerer))
        {
            await channel.SendAsync(channel.Label, CancellationToken.None);
        }

        var atAnswerer = await AcceptAsync(pair.Answerer, 10);
        var atOfferer = await AcceptAsync(pair.Offerer, 10);
        foreach (var channel in atAnswerer.Concat(atOfferer))
        {
            Assert.Equal(channel.Label, (await ReceiveAsync(channel)).Text);
        }

        Assert.All(fromOfferer, c => Assert.True(c.Id % 2 == 1, "the offerer is the DTLS server: odd ids"));
        Assert.All(fromAnswerer, c => Assert.True(c.Id % 2 == 0, "the answerer is the DTLS client: even ids"));
    }

    [Fact]
    public async Task Negotiated_and_partially_reliable_channels_keep_their_options()
    {
        await using var pair = Pair(1035);
        var negotiatedHere = pair.Offerer.CreateDataChannel("agreed", new DataChannelOptions { NegotiatedId = 9 });
        var negotiatedThere = pair.Answerer.CreateDataChannel("agreed", new DataChannelOptions { NegotiatedId = 9 });
        var lossy = pair.Offerer.CreateDataChannel("lossy", new DataChannelOptions { Ordered = false, MaxRetransmits = 0 });
        var timed = pair.Offerer.CreateDataChannel("timed", new DataChannelOptions { MaxPacketLifeTimeMs = 500 });
        await pair.ConnectAsync();

        await negotiatedHere.SendAsync("over the agreed id", CancellationToken.None);
        Assert.Equal("over the agreed id", (await ReceiveAsync(negotiatedThere)).Text);
        Assert.Equal(9, negotiatedThere.Id);

        var accepted = await AcceptAsync(pair.Answerer, 2);
        var lossyThere = Assert.Single(accepted, c => c.Label == "lossy");
        Assert.False(lossyThere.Ordered);
        Assert.Equal(0, lossyThere.Options.MaxRetransmits);
        var timedThere = Assert.Single(accepted, c => c.Label == "timed");
        Assert.True(timedThere.Ordered);
        Assert.Equal(500, timedThere.Options.MaxPacketLifeTimeMs);
        await lossy.SendAsync("on a clean link it still arrives", CancellationToken.None);
        Assert.Equal("on a clean link it still arrives", (await ReceiveAsync(lossyThere)).Text);
        Assert.Throws<ArgumentException>(() => pair.Offerer.CreateDataChannel("both", new DataChannelOptions { MaxRetransmits = 1, MaxPacketLifeTimeMs = 1 }));
    }

    [Fact]
    public async Task A_clash_of_negotiated_ids_closes_only_the_later_channel()
    {
        await using var pair = Pair(1036);
        var first = pair.Offerer.CreateDataChannel("first", new DataChannelOptions { NegotiatedId = 4 });
        var clash = pair.Offerer.CreateDataChannel("clash", new DataChannelOptions { NegotiatedId = 4 });
        await pair.ConnectAsync();

        await clash.Closed.WaitAsync(LoopbackPeerPair.Within);
        await Assert.ThrowsAsync<PeerConnectionException>(() => clash.Opened);
        await first.Opened.WaitAsync(LoopbackPeerPair.Within);
        Assert.Equal(DataChannelState.Open, first.State);

        // Once connected the clash is refused to the caller directly.
        Assert.Throws<PeerConnectionException>(() => pair.Offerer.CreateDataChannel("late", new DataChannelOptions { NegotiatedId = 4 }));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Closing_from_either_side_closes_both_ends(bool openerCloses)
    {
        await using var pair = Pair(openerCloses ? 1041 : 1042);
        var ours = pair.Offerer.CreateDataChannel("short-lived");
        await pair.ConnectAsync();
        var theirs = await AcceptOneAsync(pair.Answerer);
        await ours.SendAsync("last words", CancellationToken.None);
        Assert.Equal("last words", (await ReceiveAsync(theirs)).Text);

        await (openerCloses ? ours : theirs).CloseAsync();
        await Task.WhenAll(ours.Closed, theirs.Closed).WaitAsync(LoopbackPeerPair.Within);
        Assert.Equal(DataChannelState.Closed, ours.State);
        Assert.Equal(DataChannelState.Closed, theirs.State);
        Assert.Null(await ours.ReceiveAsync(CancellationToken.None));
        await Assert.ThrowsAsync<TransportClosedException>(async () => await ours.SendAsync("too late", CancellationToken.None));

        // The connection itself carries on.
        var next = pair.Offerer.CreateDataChannel("next");
        await next.SendAsync("still here", CancellationToken.None);
        Assert.Equal("still here", (await ReceiveAsync(await AcceptOneAsync(pair.Answerer))).Text);
    }

    [Fact]
    public async Task Disposing_while_sending_ends_both_sides_within_the_bound()
    {
        var pair = Pair(1051);
        var ours = pair.Offerer.CreateDataChannel("firehose");
        await pair.ConnectAsync();
        var theirs = await AcceptOneAsync(pair.Answerer);
        var chunk = new byte[60_000];
        using var stop = new CancellationTokenSource();
        var sending = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await ours.SendAsync(chunk, stop.Token);
            }
        });
        await Task.Delay(200);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await pair.Offerer.DisposeAsync();
        _output.WriteLine($"disposed in {clock.ElapsedMilliseconds} ms");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"dispose took {clock.Elapsed}");
        var error = await Record.ExceptionAsync(() => sending.WaitAsync(LoopbackPeerPair.Within));
        Assert.True(error is TransportClosedException or OperationCanceledException, $"the sender ended with {error}");
        Assert.Equal(PeerConnectionState.Closed, pair.Offerer.State);
        Assert.Equal(DataChannelState.Closed, ours.State);

        // The peer hears SHUTDOWN (or close_notify) and closes too.
        await theirs.Closed.WaitAsync(LoopbackPeerPair.Within);
        await WaitForAsync(() => pair.Answerer.State == PeerConnectionState.Closed, "the answerer closed");
        await stop.CancelAsync();
        await pair.Answerer.DisposeAsync();
    }

    [Fact]
    public async Task A_silent_peer_fails_the_connect_with_an_error_naming_ice()
    {
        var options = LoopbackPeerPair.DefaultOptions with { ConnectTimeout = TimeSpan.FromSeconds(2) };
        await using var lonely = new PeerConnection(options, TimeProvider.System, new Random(1061));
        await using var silent = new PeerConnection(options, TimeProvider.System, new Random(1062));
        var offer = lonely.CreateOffer();
        silent.SetRemoteDescription("offer", offer);
        var answer = silent.CreateAnswer();
        await silent.DisposeAsync(); // its sockets are gone: nobody answers our checks
        lonely.SetRemoteDescription("answer", answer);

        var error = await Assert.ThrowsAsync<PeerConnectionException>(() => lonely.Connected.WaitAsync(LoopbackPeerPair.Within));
        _output.WriteLine(error.Message);
        Assert.Equal(WebRtcLayer.Ice, error.Layer);
        Assert.Contains("ICE", error.Message);
        Assert.Equal(PeerConnectionState.Failed, lonely.State);
    }

    [Fact]
    public async Task A_certificate_that_does_not_match_the_fingerprint_fails_the_connect_at_dtls()
    {
        var options = LoopbackPeerPair.DefaultOptions with { ConnectTimeout = TimeSpan.FromSeconds(10) };
        await using var honest = new PeerConnection(options, TimeProvider.System, new Random(1065));
        await using var impostor = new PeerConnection(options, TimeProvider.System, new Random(1066));
        await using var bystander = new PeerConnection(options, TimeProvider.System, new Random(1067));
        honest.LocalCandidate += line => impostor.AddRemoteCandidate(line);
        impostor.LocalCandidate += line => honest.AddRemoteCandidate(line);
        impostor.SetRemoteDescription("offer", honest.CreateOffer());

        // The answer names someone else's certificate: ICE works, the DTLS handshake must not.
        var answer = impostor.CreateAnswer().Replace(impostor.LocalFingerprint.ToString(), bystander.LocalFingerprint.ToString(), StringComparison.Ordinal);
        Assert.Contains(bystander.LocalFingerprint.ToString(), answer);
        honest.SetRemoteDescription("answer", answer);

        var error = await Assert.ThrowsAsync<PeerConnectionException>(() => honest.Connected.WaitAsync(LoopbackPeerPair.Within));
        _output.WriteLine(error.Message);
        Assert.Equal(WebRtcLayer.Dtls, error.Layer);
        Assert.Equal(PeerConnectionState.Failed, honest.State);
        await Assert.ThrowsAsync<PeerConnectionException>(() => impostor.Connected.WaitAsync(LoopbackPeerPair.Within));
    }

    [Fact]
    public async Task Descriptions_in_the_wrong_state_or_without_a_data_section_are_refused()
    {
        await using var pc = new PeerConnection(LoopbackPeerPair.DefaultOptions, TimeProvider.System, new Random(1071));
        await using var other = new PeerConnection(LoopbackPeerPair.DefaultOptions, TimeProvider.System, new Random(1072));
        var unasked = Assert.Throws<PeerConnectionException>(() => pc.SetRemoteDescription("answer", other.CreateOffer()));
        Assert.Contains("no offer", unasked.Message);
        Assert.Throws<ArgumentException>(() => pc.SetRemoteDescription("pranswer", "v=0"));
        Assert.ThrowsAny<WebRtcFormatException>(() => pc.SetRemoteDescription("offer", "not sdp"));
        Assert.Throws<PeerConnectionException>(() => pc.CreateAnswer());
        var audioOnly = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=fingerprint:sha-256 " + string.Join(":", Enumerable.Repeat("AB", 32)) + "\r\na=setup:actpass\r\n";
        var refused = Assert.Throws<PeerConnectionException>(() => pc.SetRemoteDescription("offer", audioOnly));
        Assert.Equal(WebRtcLayer.Sdp, refused.Layer);
        Assert.Equal(PeerConnectionState.New, pc.State); // a refused offer binds nothing
    }

    private LoopbackPeerPair Pair(int seed)
    {
        _output.WriteLine($"seed {seed}");
        return LoopbackPeerPair.Create(seed);
    }

    private static async Task<DataChannel> AcceptOneAsync(PeerConnection pc) => (await AcceptAsync(pc, 1))[0];

    private static async Task<List<DataChannel>> AcceptAsync(PeerConnection pc, int count)
    {
        using var timeout = new CancellationTokenSource(LoopbackPeerPair.Within);
        var channels = new List<DataChannel>();
        await foreach (var channel in pc.AcceptDataChannelsAsync(timeout.Token))
        {
            channels.Add(channel);
            if (channels.Count == count)
            {
                break;
            }
        }

        return channels;
    }

    private static async Task<DataChannelMessage> ReceiveAsync(DataChannel channel)
    {
        using var timeout = new CancellationTokenSource(LoopbackPeerPair.Within);
        var message = await channel.ReceiveAsync(timeout.Token);
        Assert.True(message.HasValue, $"{channel} closed before a message arrived");
        return message.Value;
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < LoopbackPeerPair.Within, $"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }
}
