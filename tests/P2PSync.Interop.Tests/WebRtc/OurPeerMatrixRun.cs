using System.Diagnostics;
using System.Text;
using P2PSync.Node.Transport.WebRtc.Peer;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// One run of the interop matrix: a real peer (Chromium or werift) in namespace A, our
/// <see cref="PeerConnection"/> in B, either side offering. The offerer makes channels "chat"
/// (ordered text) and "bulk" (binary) before the offer; once connected the answerer opens "side".
/// Traffic on all three channels is interleaved, 1 MiB of binary goes each way, then each side closes
/// a channel and both see both closes.
/// </summary>
/// <remarks>
/// Message sizes follow each side's a=max-message-size (RFC 8841 §6). Chromium 156 announces and
/// enforces 262144 whatever we announce (webrtc-notes §0.8), so our 1 MiB to Chromium goes as four
/// 256 KiB messages. We announce 2 MiB, so a peer that honours it may send us 1 MiB as one
/// message, and werift (its driver announces "no limit", so we send it 1 MiB whole too) does. Chromium's RTCSctpTransport keeps
/// maxMessageSize at 262144 whatever our SDP says (notes §0.8), and its send() refuses a 1 MiB
/// message ("Trying to send message larger than max-message-size", checked below), so its 1 MiB
/// comes as four 256 KiB messages as well.
/// </remarks>
internal sealed class OurPeerMatrixRun(ITestOutputHelper output, int seed)
{
    /// <summary>What we announce: room for a 1 MiB message and then some.</summary>
    public const int OurMaxMessageSize = 2 * 1024 * 1024;

    private const int Quarter = 256 * 1024;
    private const int Mebibyte = 1024 * 1024;
    private const int Texts = 10;

    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    /// <param name="mdns">Chromium only: keep its default of hiding host addresses behind &lt;uuid&gt;.local names.</param>
    public async Task RunAsync(PeerDriver driver, bool peerOffers, bool mdns = false)
    {
        output.WriteLine($"seed {seed}: {driver} {(peerOffers ? "offers to" : "answers")} us, mDNS {(mdns ? "on" : "off")}");
        await using var lan = await VethLan.CreateAsync();
        await using var peer = await RemotePeer.StartAsync(driver, lan.A, mdns);
        await using var ours = OurPeerInNamespace.Create(lan.B, seed, new PeerConnectionOptions { MaxMessageSize = OurMaxMessageSize });
        using var stop = new CancellationTokenSource();
        await peer.CreatePeerAsync();
        var clock = Stopwatch.StartNew();
        DataChannel chat;
        DataChannel bulk;
        if (peerOffers)
        {
            await peer.CreateDataChannelAsync("chat");
            await peer.CreateDataChannelAsync("bulk");
            await ours.AnswerAsync(peer, stop.Token);
            var accepted = await ours.AcceptChannelsAsync(2, Within);
            (chat, bulk) = (accepted["chat"], accepted["bulk"]);
        }
        else
        {
            chat = ours.Connection.CreateDataChannel("chat");
            bulk = ours.Connection.CreateDataChannel("bulk");
            await ours.OfferToAsync(peer, stop.Token);
        }

        await ours.WaitConnectedAsync(Within);
        await Task.WhenAll(chat.Opened, bulk.Opened).WaitAsync(Within);
        await peer.WaitForAsync<ChannelOpenEvent>(c => c.Label == "bulk", Within, "bulk open at the peer");
        output.WriteLine($"connected, chat and bulk open {clock.ElapsedMilliseconds} ms after the offer: {ours.Connection.GetStats()}");
        await AssertPathAsync(peer, ours, lan, mdns);

        // The answerer opens a third channel after the connection is up; its stream id has the answerer's parity.
        DataChannel side;
        if (peerOffers)
        {
            side = ours.Connection.CreateDataChannel("side");
            await side.Opened.WaitAsync(Within);
        }
        else
        {
            await peer.CreateDataChannelAsync("side");
            side = (await ours.AcceptChannelsAsync(1, Within))["side"];
        }

        var sideThere = await peer.WaitForAsync<ChannelOpenEvent>(c => c.Label == "side", Within, "side open at the peer");
        Assert.Equal(side.Id, sideThere.Id);
        output.WriteLine($"stream ids: chat {chat.Id}, bulk {bulk.Id}, side {side.Id}");

        var random = new Random(seed);
        clock.Restart();
        try
        {
            await ExchangeAsync(peer, ours, chat, bulk, side, random);
        }
        catch
        {
            output.WriteLine($"exchange failed; ours: {ours.Connection.GetStats()}\n--- peer stderr ---\n{peer.StderrTail}");
            throw;
        }

        output.WriteLine($"1 MiB each way with texts interleaved on three channels in {clock.ElapsedMilliseconds} ms");

        clock.Restart();
        await chat.CloseAsync();
        await peer.CloseChannelAsync("bulk");
        await peer.WaitForAsync<ChannelCloseEvent>(c => c.Label == "chat", Within, "chat closed at the peer");
        await peer.WaitForAsync<ChannelCloseEvent>(c => c.Label == "bulk", Within, "bulk closed at the peer");
        await Task.WhenAll(chat.Closed, bulk.Closed).WaitAsync(Within);
        Assert.Null(await bulk.ReceiveAsync(CancellationToken.None));
        Assert.Equal(DataChannelState.Open, side.State);
        output.WriteLine($"chat (closed by us) and bulk (closed by the peer) closed on both sides in {clock.ElapsedMilliseconds} ms");
        Assert.Empty(ours.Failures);
        Assert.Empty(peer.Events.OfType<DriverErrorEvent>());
        await stop.CancelAsync();
    }

    private async Task ExchangeAsync(RemotePeer peer, OurPeerInNamespace ours, DataChannel chat, DataChannel bulk, DataChannel side, Random random)
    {
        // werift takes (and sends) 1 MiB as one message; Chromium's 1 MiB is four of its largest.
        var whole = peer.Driver == PeerDriver.Werift;
        var toPeer = whole ? [RandomBytes(random, Mebibyte)] : Enumerable.Range(0, 4).Select(_ => RandomBytes(random, Quarter)).ToArray();
        var fromPeer = whole ? [RandomBytes(random, Mebibyte)] : Enumerable.Range(0, 4).Select(_ => RandomBytes(random, Quarter)).ToArray();
        output.WriteLine($"the peer takes messages up to {bulk.MaxMessageSize} bytes");
        if (peer.Driver == PeerDriver.Chromium)
        {
            Assert.Equal(Quarter, bulk.MaxMessageSize);
        }

        using var timeout = new CancellationTokenSource(Within);
        var receivingBulk = ReceiveAsync(bulk, fromPeer.Length, timeout.Token);
        var receivingChat = ReceiveAsync(chat, Texts, timeout.Token);
        var receivingSide = ReceiveAsync(side, Texts, timeout.Token);

        // Ours: texts on chat and side between the big messages, all at once; the peer's commands run one by one in the order given.
        var ourSends = Task.Run(async () =>
        {
            for (var i = 0; i < Texts; i++)
            {
                await chat.SendAsync($"ours {i} ✓", timeout.Token);
                if (i < toPeer.Length)
                {
                    await bulk.SendAsync(toPeer[i], timeout.Token);
                }

                await side.SendAsync(Encoding.UTF8.GetBytes($"side {i}"), timeout.Token);
            }
        });
        for (var i = 0; i < Texts; i++)
        {
            await peer.SendTextAsync("chat", $"peer {i} ✓");
            if (i < fromPeer.Length)
            {
                await peer.SendBinaryAsync("bulk", fromPeer[i]);
            }

            await peer.SendTextAsync("side", $"peer side {i}");
        }

        await ourSends;
        var atOursBulk = await receivingBulk;
        var atOursChat = await receivingChat;
        var atOursSide = await receivingSide;
        Assert.Equal(fromPeer.Length, atOursBulk.Count);
        for (var i = 0; i < fromPeer.Length; i++)
        {
            Assert.False(atOursBulk[i].IsText);
            Assert.True(atOursBulk[i].Data.Span.SequenceEqual(fromPeer[i]), $"binary message {i} from the peer arrived changed");
        }

        Assert.Equal(Enumerable.Range(0, Texts).Select(i => $"peer {i} ✓"), atOursChat.Select(m => m.Text));
        Assert.All(atOursChat, m => Assert.True(m.IsText));
        Assert.Equal(Enumerable.Range(0, Texts).Select(i => $"peer side {i}"), atOursSide.Select(m => m.Text));

        var atPeerBulk = await WaitForMessagesAsync(peer, "bulk", toPeer.Length);
        for (var i = 0; i < toPeer.Length; i++)
        {
            Assert.True(atPeerBulk[i].Binary is { } b && b.AsSpan().SequenceEqual(toPeer[i]), $"binary message {i} to the peer arrived changed");
        }

        Assert.Equal(Enumerable.Range(0, Texts).Select(i => $"ours {i} ✓"), (await WaitForMessagesAsync(peer, "chat", Texts)).Select(m => m.Text));
        if (peer.Driver == PeerDriver.Chromium)
        {
            // Our 2 MiB announcement does not lift Chromium's own cap: its send() refuses 1 MiB outright.
            var refused = await Assert.ThrowsAsync<ControlProtocolException>(() => peer.SendBinaryAsync("bulk", RandomBytes(random, Mebibyte)));
            output.WriteLine($"Chromium refused to send 1 MiB: {refused.Message.Split('\n')[0]}");
            Assert.Contains("larger than max-message-size", refused.Message, StringComparison.Ordinal);
        }

        // Sent as binary by us, so the peer must see binary, not text.
        Assert.Equal(Enumerable.Range(0, Texts).Select(i => $"side {i}"), (await WaitForMessagesAsync(peer, "side", Texts)).Select(m => Encoding.UTF8.GetString(m.Binary!)));
    }

    /// <summary>The path really is between the two namespaces; with Chromium's mDNS names our agent learned the peer as peer-reflexive.</summary>
    private async Task AssertPathAsync(RemotePeer peer, OurPeerInNamespace ours, VethLan lan, bool mdns)
    {
        var stats = ours.Connection.GetStats();
        for (var attempt = 0; attempt < 40 && stats.SelectedPair is null; attempt++)
        {
            // The controlling side nominates a moment after its first valid pair (webrtc-harness.md).
            await Task.Delay(25);
            stats = ours.Connection.GetStats();
        }

        Assert.NotNull(stats.SelectedPair);
        Assert.EndsWith($"-> {lan.A.Ipv4}", stats.SelectedPair![..stats.SelectedPair.LastIndexOf(':')], StringComparison.Ordinal);
        if (peer.Driver == PeerDriver.Chromium)
        {
            var addresses = peer.Events.OfType<LocalCandidateEvent>()
                .Where(c => c.Candidate is not null)
                .Select(c => c.Candidate!.Candidate.Split(' ')[4])
                .ToList();
            Assert.NotEmpty(addresses);
            Assert.All(addresses, a => Assert.Equal(mdns, a.EndsWith(".local", StringComparison.Ordinal)));
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static async Task<List<DataChannelMessage>> ReceiveAsync(DataChannel channel, int count, CancellationToken ct)
    {
        var received = new List<DataChannelMessage>();
        while (received.Count < count)
        {
            received.Add(await channel.ReceiveAsync(ct) ?? throw new InvalidOperationException($"{channel} closed after {received.Count} messages"));
        }

        return received;
    }

    private static async Task<List<ChannelMessageEvent>> WaitForMessagesAsync(RemotePeer peer, string label, int count)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var received = peer.Events.OfType<ChannelMessageEvent>().Where(m => m.Label == label).ToList();
            if (received.Count >= count || deadline.Elapsed > Within)
            {
                Assert.True(received.Count == count, $"{label}: {received.Count} of {count} messages reached the peer");
                return received;
            }

            await Task.Delay(20);
        }
    }
}
