using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using P2PSync.Node.Api;
using P2PSync.Interop.Tests.Mdns;
using P2PSync.Interop.Tests.Node;
using P2PSync.Interop.Tests.Oracle;
using P2PSync.Interop.Tests.WebRtc;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.YWebRtc;

/// <summary>
/// `p2psync doc share-webrtc` against the real thing: headless Chromium pages running unmodified
/// yjs + y-webrtc (simple-peer inside) and our node, all in one namespace of a <see cref="VethLan"/>
/// (Chromium needs a non-loopback interface and a default route), signalling through our relay on
/// that namespace's loopback. The first test proves the page harness with two browsers alone.
/// </summary>
[Collection(WebRtcCollection.Name)]
public sealed class YWebRtcRoomInteropTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [ChromiumFact]
    public async Task TwoBrowsersEditTogetherThroughOurRelay()
    {
        await using var lan = await VethLan.CreateAsync();
        await using var relay = await NamespacedRelay.StartAsync(lan.A);
        await using var first = await YWebRtcBrowser.StartAsync(lan.A, "first");
        await using var second = await YWebRtcBrowser.StartAsync(lan.A, "second");

        var firstId = await first.JoinAsync(relay.SignalUrl, "harness-room", "harness password");
        var secondId = await second.JoinAsync(relay.SignalUrl, "harness-room", "harness password");
        await first.WaitForPeerAsync(secondId, Within);
        await second.WaitForPeerAsync(firstId, Within);
        await first.WaitForSyncedAsync(Within);
        await second.WaitForSyncedAsync(Within);

        await first.InsertAsync(0, "one ");
        await second.InsertAsync(0, "two ");
        await ConvergeAsync(first, second, ["one ", "two "]);
    }

    /// <summary>
    /// The browser is in the room first, so our node's announce makes it offer: we answer. Chromium
    /// hides its host addresses behind .local names as it does for real users, so we learn its
    /// address from its checks (peer-reflexive).
    /// </summary>
    [ChromiumFact]
    public async Task BrowserAndNodeConvergeInAnOpenRoom()
    {
        await using var setup = await RoomSetup.StartAsync(output, hideIpsWithMdns: true);
        var browserId = await setup.Browser.JoinAsync(setup.Relay.SignalUrl, "open-room", null);
        await setup.Browser.InsertAsync(0, "from the browser, before the node came; ");
        var share = await setup.ShareAsync("open-room", null);

        await setup.Browser.WaitForPeerAsync(share, Within);
        await setup.Node.AppendAsync(setup.DocId, "from the node ✓");
        await setup.Browser.InsertAsync(0, "[browser again] ");
        await setup.ConvergeAsync(["from the browser, before the node came; ", "from the node ✓", "[browser again] "]);
        output.WriteLine($"browser {browserId} and node {share} converged on: {Shown(await setup.Browser.TextAsync())}");

        // An unmodified y-websocket client on the node's /yjs endpoint: its edit reaches the browser
        // through the node, and it sees the browser's edits (the node bridges the two protocols).
        await YWebSocketClientInNamespaceAsync(setup, "[via y-websocket]", ["[browser again] ", "from the node ✓"]);
        await setup.ConvergeAsync(["[via y-websocket]", "[browser again] "]);

        // One 160 000-character edit: a single update of about 160 KB, many SCTP fragments each way.
        var big = string.Concat(Enumerable.Range(0, 16_000).Select(i => (char)('a' + (i % 26)) + "ywebrtc!!"));
        await setup.Browser.InsertAsync(0, big);
        await setup.ConvergeAsync([big]);
    }

    /// <summary>Our node is in the room first, so the browser's announce makes us offer; signalling is sealed with the password.</summary>
    [ChromiumFact]
    public async Task BrowserAndNodeConvergeInARoomWithAPassword()
    {
        await using var setup = await RoomSetup.StartAsync(output, hideIpsWithMdns: false);
        await setup.Node.AppendAsync(setup.DocId, "written on the node before anyone joined; ");
        var share = await setup.ShareAsync("sealed-room ☃", "correct horse 🔑");

        var clock = Stopwatch.StartNew();
        await setup.Browser.JoinAsync(setup.Relay.SignalUrl, "sealed-room ☃", "correct horse 🔑");
        await setup.Browser.WaitForPeerAsync(share, Within);
        output.WriteLine($"the browser had its data channel to our node {clock.ElapsedMilliseconds} ms after joining");

        await setup.Browser.InsertAsync(0, "browser: ");
        await setup.Node.AppendAsync(setup.DocId, "node again");
        await setup.ConvergeAsync(["written on the node before anyone joined; ", "browser: ", "node again"]);

        // A second browser finds both the first one and our node; the node's next edit reaches both.
        await using var second = await YWebRtcBrowser.StartAsync(setup.Lan.A, "second");
        await second.JoinAsync(setup.Relay.SignalUrl, "sealed-room ☃", "correct horse 🔑");
        await second.WaitForPeerAsync(share, Within);
        await setup.Node.AppendAsync(setup.DocId, " [node to both]");
        await second.InsertAsync(0, "second: ");
        await setup.ConvergeAsync(["browser: ", "node again", " [node to both]", "second: "]);
        await ConvergeAsync(setup.Browser, second, ["browser: ", "node again", " [node to both]", "second: "]);

        // A browser with the wrong password: the node cannot open its announce (counted, dropped) and
        // it never gets the document.
        var refusedBefore = (await SharesAsync(setup)).Single().RefusedPayloads;
        await using var intruder = await YWebRtcBrowser.StartAsync(setup.Lan.A, "intruder");
        await intruder.JoinAsync(setup.Relay.SignalUrl, "sealed-room ☃", "wrong horse");
        await Eventually.TrueAsync(
            async () => (await SharesAsync(setup)).Single().RefusedPayloads > refusedBefore,
            Within,
            async () => $"refused payloads stayed at {refusedBefore}\n{setup.Node.Log}");
        await intruder.InsertAsync(0, "intruder");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal("intruder", await intruder.TextAsync());
        Assert.DoesNotContain("intruder", await setup.Node.TextAsync(setup.DocId), StringComparison.Ordinal);
        Assert.Equal(2, (await SharesAsync(setup)).Single().Peers.Count);
    }

    private static async Task<List<YWebRtcShareView>> SharesAsync(RoomSetup setup) =>
        (await setup.Node.Http.GetFromJsonAsync<List<YWebRtcShareView>>("api/webrtc-shares"))!;

    /// <summary>tests/oracle/ywebsocket-client.mjs in the node's namespace: waits for its first sync, appends, waits for <paramref name="expected"/>.</summary>
    private static async Task YWebSocketClientInNamespaceAsync(RoomSetup setup, string insert, string[] expected)
    {
        var start = setup.Lan.A.StartInfo(
            "node",
            Path.Combine(RepoPaths.Oracle, "ywebsocket-client.mjs"),
            $"ws://127.0.0.1:{setup.Node.ApiUrl.Port}/yjs",
            setup.DocId,
            insert,
            JsonSerializer.Serialize(expected),
            ((long)Within.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        start.WorkingDirectory = RepoPaths.Oracle;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the y-websocket client");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"the y-websocket client exited {process.ExitCode}: {await stderr}\n{await stdout}\n--- node ---\n{setup.Node.Log}");
    }

    /// <summary>The text as the log shows it: long ones cut, with their length.</summary>
    private static string Shown(string text) => text.Length <= 160 ? $"'{text}'" : $"'{text[..160]}...' ({text.Length} chars)";

    private async Task ConvergeAsync(YWebRtcBrowser first, YWebRtcBrowser second, string[] parts)
    {
        var clock = Stopwatch.StartNew();
        await Eventually.TrueAsync(
            async () =>
            {
                var (a, b) = (await first.TextAsync(), await second.TextAsync());
                return a == b && parts.All(p => a.Contains(p, StringComparison.Ordinal));
            },
            Within,
            async () => $"first: '{await first.TextAsync()}', second: '{await second.TextAsync()}'\n{first.Log}\n{second.Log}");
        output.WriteLine($"converged {clock.ElapsedMilliseconds} ms after the last edit: {Shown(await first.TextAsync())}");
    }

    /// <summary>A VethLan with our relay, one node (with a document) and one browser in namespace A.</summary>
    private sealed class RoomSetup : IAsyncDisposable
    {
        private readonly ITestOutputHelper _output;
        private readonly VethLan _lan;

        private RoomSetup(ITestOutputHelper output, VethLan lan, NamespacedRelay relay, NamespacedNode node, YWebRtcBrowser browser, string docId)
        {
            _output = output;
            _lan = lan;
            Relay = relay;
            Node = node;
            Browser = browser;
            DocId = docId;
        }

        public NamespacedRelay Relay { get; }

        public VethLan Lan => _lan;

        public NamespacedNode Node { get; }

        public YWebRtcBrowser Browser { get; }

        public string DocId { get; }

        public static async Task<RoomSetup> StartAsync(ITestOutputHelper output, bool hideIpsWithMdns)
        {
            var lan = await VethLan.CreateAsync();
            NamespacedRelay? relay = null;
            NamespacedNode? node = null;
            try
            {
                relay = await NamespacedRelay.StartAsync(lan.A);
                // WebRTC bound to the namespace's veth address: the only host candidate the browser gets from us.
                node = await NamespacedNode.StartAsync(lan.A, "ywebrtc", "--no-mdns", "--relay", relay.Url.ToString(), "--webrtc-bind", lan.A.Ipv4.ToString());
                var browser = await YWebRtcBrowser.StartAsync(lan.A, "browser", hideIpsWithMdns);
                var doc = await node.CreateDocAsync("shared with browsers");
                return new RoomSetup(output, lan, relay, node, browser, doc.Id);
            }
            catch
            {
                if (node is not null)
                {
                    await node.DisposeAsync();
                }

                if (relay is not null)
                {
                    await relay.DisposeAsync();
                }

                await lan.DisposeAsync();
                throw;
            }
        }

        /// <summary>`p2psync doc share-webrtc` run by the CLI in the node's namespace; returns our peer id in the room.</summary>
        public async Task<string> ShareAsync(string room, string? password)
        {
            string[] args = password is null
                ? ["doc", "share-webrtc", DocId, "--room", room]
                : ["doc", "share-webrtc", DocId, "--room", room, "--password", password];
            var result = await Node.CliAsync(args);
            Assert.True(result.ExitCode == 0, result.Describe());
            _output.WriteLine(result.Stdout.Trim());
            var marker = " as peer ";
            var at = result.Stdout.IndexOf(marker, StringComparison.Ordinal);
            Assert.True(at > 0, result.Describe());
            return result.Stdout[(at + marker.Length)..].Split(' ')[0];
        }

        public async Task ConvergeAsync(string[] parts)
        {
            var clock = Stopwatch.StartNew();
            await Eventually.TrueAsync(
                async () =>
                {
                    var (browser, node) = (await Browser.TextAsync(), await Node.TextAsync(DocId));
                    return browser == node && parts.All(p => browser.Contains(p, StringComparison.Ordinal));
                },
                Within,
                async () => $"browser: '{await Browser.TextAsync()}', node: '{await Node.TextAsync(DocId)}'\n--- browser ---\n{Browser.Log}\n--- node ---\n{Node.Log}");
            _output.WriteLine($"browser and node converged {clock.ElapsedMilliseconds} ms after the last edit: {Shown(await Browser.TextAsync())}");
        }

        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            await Node.DisposeAsync();
            await Relay.DisposeAsync();
            await _lan.DisposeAsync();
        }
    }
}
