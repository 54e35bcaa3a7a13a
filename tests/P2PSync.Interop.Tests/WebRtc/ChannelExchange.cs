using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// The harness's proof run between two real peers on a <see cref="VethLan"/>: the offerer (in A)
/// makes channel "chat" before the offer, the answerer (in B) makes channel "back" after the
/// connection is up; text (with non-ASCII), all 256 byte values and a 256 KiB seeded binary message
/// go both ways; then each side closes one channel and both sides see both closes. SDP and
/// candidates pass only through the C# <see cref="SignallingRelay"/>.
/// </summary>
internal sealed class ChannelExchange
{
    /// <summary>Chromium's fixed max-message-size (notes §0.8): the largest single message it takes.</summary>
    public const int LargeMessageBytes = 256 * 1024;

    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private readonly ITestOutputHelper _output;
    private readonly int _seed;

    public ChannelExchange(ITestOutputHelper output, int seed)
    {
        _output = output;
        _seed = seed;
    }

    /// <param name="chromiumHidesIps">Chromium keeps its default of announcing host candidates as &lt;uuid&gt;.local names.</param>
    public async Task RunAsync(PeerDriver offererDriver, PeerDriver answererDriver, bool chromiumHidesIps = false)
    {
        _output.WriteLine($"seed {_seed}");
        await using var lan = await VethLan.CreateAsync();
        _output.WriteLine($"lan {lan}");
        var clock = Stopwatch.StartNew();
        // Started side by side: a browser takes seconds to come up.
        var starting = new[]
        {
            RemotePeer.StartAsync(offererDriver, lan.A, chromiumHidesIps),
            RemotePeer.StartAsync(answererDriver, lan.B, chromiumHidesIps),
        };
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }

        await using var offerer = starting[0].Result;
        await using var answerer = starting[1].Result;
        _output.WriteLine($"drivers ready after {clock.ElapsedMilliseconds} ms: {offerer.Driver} {offerer.Version} offers, {answerer.Driver} {answerer.Version} answers");

        await offerer.CreatePeerAsync();
        await answerer.CreatePeerAsync();
        await offerer.CreateDataChannelAsync("chat");
        clock.Restart();
        await using var relay = await SignallingRelay.ConnectAsync(offerer, answerer);
        var chatHere = await offerer.WaitForAsync<ChannelOpenEvent>(c => c.Label == "chat", Within, "chat open (offerer)");
        var chatThere = await answerer.WaitForAsync<ChannelOpenEvent>(c => c.Label == "chat", Within, "chat open (answerer)");
        _output.WriteLine($"chat open on both sides {clock.ElapsedMilliseconds} ms after the offer was made");
        await offerer.WaitForAsync<ConnectionStateEvent>(s => s.State == "connected", Within, "connected (offerer)");
        await answerer.WaitForAsync<ConnectionStateEvent>(s => s.State == "connected", Within, "connected (answerer)");

        // Chromium's host candidates carry its address, or with the mDNS feature on a <uuid>.local name
        // the other side cannot resolve and learns as peer-reflexive from Chromium's checks instead.
        foreach (var chromium in new[] { offerer, answerer }.Where(p => p.Driver == PeerDriver.Chromium))
        {
            var addresses = chromium.Events.OfType<LocalCandidateEvent>()
                .Where(c => c.Candidate is not null)
                .Select(c => c.Candidate!.Candidate.Split(' ')[4])
                .ToList();
            Assert.NotEmpty(addresses);
            Assert.All(addresses, a => Assert.Equal(chromiumHidesIps, a.EndsWith(".local", StringComparison.Ordinal)));
        }

        // Both answer a=setup:active, so the answerer is the DTLS client and picks even stream ids,
        // the offerer (DTLS server) odd ones (RFC 8832 §6).
        Assert.Equal(chatHere.Id, chatThere.Id);
        Assert.True(chatHere.Id % 2 == 1, $"the offerer's channel should have an odd id, got {chatHere.Id}");
        Assert.True(chatThere.Ordered);
        Assert.Null(chatThere.MaxRetransmits);

        // Unordered but reliable: werift 0.25.2 drops the unordered bit when maxRetransmits is also
        // set (its DCEP OPEN says 0x01, not 0x81), so partial reliability is left to our own stack's tests.
        await answerer.CreateDataChannelAsync("back", ordered: false);
        var backHere = await offerer.WaitForAsync<ChannelOpenEvent>(c => c.Label == "back", Within, "back open (offerer)");
        await answerer.WaitForAsync<ChannelOpenEvent>(c => c.Label == "back", Within, "back open (answerer)");
        Assert.True(backHere.Id % 2 == 0, $"the answerer's channel should have an even id, got {backHere.Id}");
        Assert.False(backHere.Ordered);
        Assert.Null(backHere.MaxRetransmits);

        await AssertRolesAsync(offerer, answerer, dtls: "server", ice: "controlling");
        await AssertRolesAsync(answerer, offerer, dtls: "client", ice: "controlled");

        var random = new Random(_seed);
        var large = new byte[LargeMessageBytes];
        random.NextBytes(large);
        var everyByte = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        clock.Restart();
        await SendAllAsync(offerer, answerer, "chat", $"hello from {offerer.Driver} ✓ 🚀 ünïcödé", everyByte, large);
        await SendAllAsync(answerer, offerer, "chat", $"hello back from {answerer.Driver} ✓ 🚀", everyByte, large);
        var medium = new byte[3000];
        random.NextBytes(medium);
        await SendAllAsync(answerer, offerer, "back", "on the unordered channel", everyByte, medium);
        _output.WriteLine($"messages both ways (2 x {LargeMessageBytes} bytes among them) in {clock.ElapsedMilliseconds} ms");

        clock.Restart();
        await offerer.CloseChannelAsync("chat");
        await answerer.CloseChannelAsync("back");
        foreach (var peer in new[] { offerer, answerer })
        {
            foreach (var label in new[] { "chat", "back" })
            {
                await peer.WaitForAsync<ChannelCloseEvent>(c => c.Label == label, Within, $"{label} closed");
            }
        }

        _output.WriteLine($"both channels closed on both sides in {clock.ElapsedMilliseconds} ms");
        Assert.Empty(relay.Failures);
        Assert.Empty(offerer.Events.OfType<DriverErrorEvent>());
        Assert.Empty(answerer.Events.OfType<DriverErrorEvent>());
        _output.WriteLine($"{relay.RelayedCandidates} candidates relayed");

        // Descriptions as they stand now (Chromium's have gained their a=candidate lines).
        var variant = chromiumHidesIps ? "-mdns" : "";
        ResourceCapture.SaveText($"{Name(offerer)}-offer{variant}.sdp", (await offerer.GetLocalDescriptionAsync()).Sdp);
        ResourceCapture.SaveText($"{Name(answerer)}-answer{variant}.sdp", (await answerer.GetLocalDescriptionAsync()).Sdp);
    }

    private static string Name(RemotePeer peer) => peer.Driver.ToString().ToLowerInvariant();

    /// <summary>Sends a text and two different binary messages and checks each arrives intact, once (and first things first on an ordered channel).</summary>
    private static async Task SendAllAsync(RemotePeer from, RemotePeer to, string label, string text, byte[] small, byte[] big)
    {
        var before = to.Events.OfType<ChannelMessageEvent>().Count(m => m.Label == label);
        await from.SendTextAsync(label, text);
        await from.SendBinaryAsync(label, small);
        await from.SendBinaryAsync(label, big);
        await to.WaitForAsync<ChannelMessageEvent>(m => m.Label == label && m.Binary is { } b && b.Length == big.Length, Within, $"{big.Length}-byte message on {label}");
        // The large message is last; on an ordered channel everything before it is in, and the
        // unordered channel gets a moment for the two smaller ones.
        var received = await ReceivedAsync(to, label, before, 3);
        Assert.Single(received, m => m.Text == text);
        Assert.Single(received, m => m.Binary is { } b && b.AsSpan().SequenceEqual(small));
        Assert.Single(received, m => m.Binary is { } b && b.AsSpan().SequenceEqual(big));
        if (label == "chat")
        {
            Assert.Equal(text, received[0].Text);
        }
    }

    private static async Task<List<ChannelMessageEvent>> ReceivedAsync(RemotePeer to, string label, int skip, int count)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var received = to.Events.OfType<ChannelMessageEvent>().Where(m => m.Label == label).Skip(skip).ToList();
            if (received.Count >= count || deadline.Elapsed > Within)
            {
                Assert.Equal(count, received.Count);
                return received;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Chromium's getStats names its roles and DTLS version; werift's report has no transport entry,
    /// so it is not asked. Two Chromiums agree on DTLS 1.3 (FEFC, TLS_AES_128_GCM_SHA256); with
    /// werift (and with our stack) Chromium falls back to DTLS 1.2 (FEFD) and the ECDHE-ECDSA suite.
    /// </summary>
    private async Task AssertRolesAsync(RemotePeer peer, RemotePeer other, string dtls, string ice)
    {
        if (peer.Driver != PeerDriver.Chromium)
        {
            return;
        }

        var stats = await peer.GetStatsAsync();
        _output.WriteLine($"{peer} stats: {stats.GetRawText()}");
        var transport = stats.GetProperty("transport");
        Assert.Equal(dtls, transport.GetProperty("dtlsRole").GetString());
        Assert.Equal(ice, transport.GetProperty("iceRole").GetString());
        var dtls13 = other.Driver == PeerDriver.Chromium;
        Assert.Equal(dtls13 ? "FEFC" : "FEFD", transport.GetProperty("tlsVersion").GetString());
        Assert.Equal(dtls13 ? "TLS_AES_128_GCM_SHA256" : "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", transport.GetProperty("dtlsCipher").GetString());
        Assert.Equal(JsonValueKind.Object, stats.GetProperty("selectedPair").ValueKind);
    }
}
