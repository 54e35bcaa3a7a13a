using P2PSync.Interop.Tests.Handoff;
using P2PSync.Interop.Tests.Node;
using P2PSync.Interop.Tests.Relay;
using P2PSync.Interop.Tests.Spaces;
using System.Collections.Concurrent;
using System.Text.Json;
using P2PSync.Node.Security.Invites;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Transport.WebRtc.Rendezvous;
using P2PSync.Node.Transport.WebRtc.Signalling;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.WebRtcNode;

/// <summary>
/// Two real nodes that share a space but know no TCP address of each other (the invite went through
/// the relay and named none; each trusts the other without an address) find each other on the relay's signalling, connect over WebRTC on
/// loopback (--webrtc-bind 127.0.0.1), show the path as webrtc, and sync both ways; a node that
/// is killed and restarted connects again the same way.
/// </summary>
[Collection("node processes")]
public sealed class WebRtcNodeProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task MembersWithoutAddresses_ConnectOverWebRtc_SyncBothWays_AndReconnectAfterAKill()
    {
        using var scratch = new ScratchDirectory("p2psync-webrtc-node-");
        await using var relay = await RelayProcess.StartAsync(scratch.Combine("relay"));
        var args = new[] { "--relay", relay.Url.ToString(), "--webrtc-bind", "127.0.0.1" };
        await using var a = await NodeProcess.StartAsync("a", scratch.Combine("a"), 0, args);
        var bData = scratch.Combine("b");
        var b = await NodeProcess.StartAsync("b", bData, 0, args);
        try
        {
            var space = await a.Http.CreateSpaceAsync("webrtc-space");
            var doc = (await a.Http.CreateDocInAsync("webrtc-doc", space)).Id;
            await a.AppendAsync(doc, "from-a;");
            // A listener on the space's rendezvous topic, as the relay (or anyone) could be: it keeps what passes.
            var topic = RendezvousTopics.For(SpaceId.FromBytes(Convert.FromHexString(space)));
            await using var spy = new SignallingClient(new SignallingClientOptions(), TimeProvider.System, new Random(7));
            await spy.SubscribeAsync(topic);
            using (var connecting = new CancellationTokenSource(Convergence))
            {
                await spy.ConnectAsync(SignallingClient.SignalUri(relay.Url), connecting.Token);
            }

            var captured = new ConcurrentQueue<SignalMessage>();
            using var stopSpying = new CancellationTokenSource();
            var spying = Task.Run(async () =>
            {
                await foreach (var message in spy.ReadAllAsync(stopSpying.Token))
                {
                    captured.Enqueue(message);
                }
            });

            var code = await RelayOnlyInviteAsync(a, space);
            Assert.Empty(InviteCodec.Decode(code).InviterAddresses);
            var joined = await P2PSyncCli.RunAsync(b, "join", code);
            Assert.True(joined.Succeeded, $"{joined}\n--- b ---\n{b.Log}\n--- a ---\n{a.Log}");

            // Each lists the other as its own device, still without any address: `status` shows the path per listed peer.
            await a.TrustAsync(b, withAddress: false);
            await b.TrustAsync(a, withAddress: false);

            await WaitForWebRtcAsync(a, b);
            await a.AppendAsync(doc, "over-webrtc-a;");
            await Eventually.TrueAsync(async () => (await b.TextAsync(doc))?.Contains("over-webrtc-a;", StringComparison.Ordinal) == true, Convergence, async () => $"b has \"{await b.TextAsync(doc)}\"\n{b.Log}");
            await b.AppendAsync(doc, "over-webrtc-b;");
            await Eventually.TrueAsync(async () => (await a.TextAsync(doc))?.Contains("over-webrtc-b;", StringComparison.Ordinal) == true, Convergence, async () => $"a has \"{await a.TextAsync(doc)}\"\n{a.Log}");
            var rtt = (await a.StatusAsync()).Peers.Single(p => p.DeviceId == b.DeviceId).RttMs;
            output.WriteLine($"a -> b over webrtc: rtt {rtt} ms");
            Assert.Contains("webrtc: connected to", a.Log, StringComparison.Ordinal);

            // The topic carried only sealed strings: no SDP, no candidate, no device id in the clear.
            Assert.NotEmpty(captured);
            foreach (var message in captured)
            {
                var text = message.Data.GetRawText();
                Assert.Equal(JsonValueKind.String, message.Data.ValueKind);
                Assert.DoesNotContain("candidate", text, StringComparison.Ordinal);
                Assert.DoesNotContain("v=0", text, StringComparison.Ordinal);
                Assert.DoesNotContain(a.DeviceId, text, StringComparison.Ordinal);
            }

            // Replays of everything seen, and junk: refused and logged; the connection stays up.
            foreach (var message in captured.ToArray())
            {
                await spy.PublishAsync(topic, message.Data);
            }

            await spy.PublishAsync(topic, JsonSerializer.SerializeToElement("not base64!"));
            await spy.PublishAsync(topic, JsonSerializer.SerializeToElement(Convert.ToBase64String(new byte[300])));
            await spy.PublishAsync(topic, JsonSerializer.SerializeToElement(new { type = "signal" }));
            await Eventually.TrueAsync(
                () => Task.FromResult(a.Log.Contains("(Replayed)", StringComparison.Ordinal) && a.Log.Contains("(NotSealed)", StringComparison.Ordinal)),
                Convergence,
                () => Task.FromResult(a.Log));
            await stopSpying.CancelAsync();
            await spying.ContinueWith(_ => { }, TaskScheduler.Default);
            Assert.Equal("webrtc", (await a.StatusAsync()).Peers.Single(p => p.DeviceId == b.DeviceId).Path);

            // kill -9 b: a notices, b comes back on the same data and the two meet over WebRTC again.
            await b.KillAsync();
            await b.DisposeAsync();
            await Eventually.TrueAsync(
                async () => (await a.StatusAsync()).Peers.SingleOrDefault(p => p.DeviceId == b.DeviceId)?.Path != "webrtc",
                Convergence,
                async () => System.Text.Json.JsonSerializer.Serialize(await a.StatusAsync()));
            b = await NodeProcess.StartAsync("b", bData, 0, args);
            await WaitForWebRtcAsync(a, b);
            await a.AppendAsync(doc, "after-restart;");
            await Eventually.TrueAsync(async () => (await b.TextAsync(doc))?.EndsWith("after-restart;", StringComparison.Ordinal) == true, Convergence, async () => $"b has \"{await b.TextAsync(doc)}\"\n{b.Log}");
            Assert.Equal(await a.TextAsync(doc), await b.TextAsync(doc));
        }
        finally
        {
            output.WriteLine("--- a ---\n" + a.Log);
            output.WriteLine("--- b ---\n" + b.Log);
            await b.DisposeAsync();
        }
    }

    private static async Task WaitForWebRtcAsync(NodeProcess a, NodeProcess b) =>
        await Eventually.TrueAsync(
            async () => (await a.StatusAsync()).Peers.SingleOrDefault(p => p.DeviceId == b.DeviceId)?.Path == "webrtc"
                && (await b.StatusAsync()).Peers.SingleOrDefault(p => p.DeviceId == a.DeviceId)?.Path == "webrtc",
            Convergence,
            async () => $"a: {System.Text.Json.JsonSerializer.Serialize(await a.StatusAsync())}\nb: {System.Text.Json.JsonSerializer.Serialize(await b.StatusAsync())}\n--- a ---\n{a.Log}\n--- b ---\n{b.Log}");

    /// <summary>An editor invite that names no address: the joiner can only claim it from the relay.</summary>
    private static async Task<string> RelayOnlyInviteAsync(NodeProcess inviter, string space)
    {
        var result = await P2PSyncCli.SucceedAsync(inviter, ["invite", space, "--role", "editor", "--relay-only"]);
        var code = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        await Eventually.TrueAsync(
            () => Task.FromResult(inviter.Log.Contains("left the package of an invite", StringComparison.Ordinal)),
            Convergence,
            () => Task.FromResult($"the inviter never posted the package\n{inviter.Log}"));
        return code;
    }
}
