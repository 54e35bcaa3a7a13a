using System.Net.Http.Json;
using System.Text;
using P2PSync.Interop.Tests.Node;
using P2PSync.Interop.Tests.Spaces;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.Relay;

/// <summary>
/// Two devices that are never online at the same time converge through the relay's mailbox
/// alone (real relay and node processes on loopback), nothing is lost across a relay restart,
/// and the relay's database and log hold no plaintext, document name or space name.
/// </summary>
[Collection("node processes")]
public sealed class StoreAndForwardProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EditsWhileTheOtherIsAway_ArriveFromTheMailboxAlone_AcrossARelayRestart_AndTheRelayStaysBlind()
    {
        using var scratch = new ScratchDirectory("p2psync-relay-");
        var relayData = scratch.Combine("relay");
        var aData = scratch.Combine("a");
        var bData = scratch.Combine("b");
        var relay = await RelayProcess.StartAsync(relayData);
        var relayLog = new StringBuilder();
        try
        {
            var relayArgs = new[] { "--relay", relay.Url.ToString() };
            var a = await NodeProcess.StartAsync("a", aData, 0, relayArgs);
            var b = await NodeProcess.StartAsync("b", bData, 0, relayArgs);
            await a.TrustAsync(b);
            await b.TrustAsync(a);
            var project = await a.Http.CreateSpaceAsync("secret-space-name-77");
            var doc = (await a.Http.CreateDocInAsync("secret-doc-name-42", project)).Id;
            await a.AppendAsync(doc, "both-online-marker;");
            await Eventually.TrueAsync(async () => await b.TextAsync(doc) == "both-online-marker;", Convergence, () => Task.FromResult($"b never got the document\n--- a ---\n{a.Log}\n--- b ---\n{b.Log}"));

            // b goes away; a writes; a goes away too. Nobody holds a's change but the relay.
            Assert.Equal(0, await b.StopAsync());
            await b.DisposeAsync();
            // Directly connected a moment ago, now reachable only through the relay's mailbox.
            await Eventually.TrueAsync(
                async () => (await a.StatusAsync()).Peers.Single(p => p.DeviceId == b.DeviceId).Path == "relay",
                Convergence,
                async () => System.Text.Json.JsonSerializer.Serialize(await a.StatusAsync()));
            await a.AppendAsync(doc, "while-b-was-away-marker;");
            await Task.Delay(1500);
            Assert.Equal(0, await a.StopAsync());
            output.WriteLine(a.Log);
            await a.DisposeAsync();

            // The relay restarts on the same data: what it acknowledged must still be there.
            await relay.StopAsync();
            relayLog.Append(relay.Log);
            var port = relay.Port;
            await relay.DisposeAsync();
            relay = await RelayProcess.StartAsync(relayData, port);

            await using var b2 = await NodeProcess.StartAsync("b", bData, 0, relayArgs);
            await Eventually.TrueAsync(
                async () => await b2.TextAsync(doc) == "both-online-marker;while-b-was-away-marker;",
                Convergence,
                async () => $"b has \"{await b2.TextAsync(doc)}\"\n--- b ---\n{b2.Log}\n--- relay ---\n{relay.Log}");
            Assert.Equal(0, await b2.StopAsync());
            await relay.StopAsync();
            relayLog.Append(relay.Log);

            // Blindness: neither the relay's files nor its log hold any plaintext, name or key.
            var relayBytes = Directory.GetFiles(relayData, "*", SearchOption.AllDirectories).SelectMany(File.ReadAllBytes).ToArray();
            foreach (var secret in new[] { "both-online-marker", "while-b-was-away-marker", "secret-doc-name-42", "secret-space-name-77" })
            {
                Assert.Equal(-1, relayBytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
                Assert.DoesNotContain(secret, relayLog.ToString(), StringComparison.Ordinal);
            }

            // (The space id itself is not secret: every sealed envelope names it in its header, next
            // to the key epoch, so a member knows which key opens it. It is a random id, like the topic.)
            Assert.DoesNotContain(project, relayLog.ToString(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await relay.DisposeAsync();
        }
    }

    [Fact]
    public async Task ARotationWhileAMemberIsAway_ReachesItThroughTheRelay_SoItOpensWhatIsSealedWithTheNewKey()
    {
        using var scratch = new ScratchDirectory("p2psync-relay-");
        await using var relay = await RelayProcess.StartAsync(scratch.Combine("relay"));
        var relayArgs = new[] { "--relay", relay.Url.ToString() };
        var bData = scratch.Combine("b");
        await using var a = await NodeProcess.StartAsync("a", scratch.Combine("a"), 0, relayArgs);
        var b = await NodeProcess.StartAsync("b", bData, 0, relayArgs);
        await using var v = await NodeProcess.StartAsync("v", scratch.Combine("v"), 0, relayArgs);
        await a.TrustAsync(b);
        await b.TrustAsync(a);
        var project = await a.Http.CreateSpaceAsync("Project");
        await Eventually.TrueAsync(async () => (await b.Http.GetAsync($"api/spaces/{project}")).IsSuccessStatusCode, Convergence, () => Task.FromResult("b never got the space"));
        var doc = (await a.Http.CreateDocInAsync("plan", project)).Id;
        await a.AppendAsync(doc, "epoch-0;");
        await Eventually.TrueAsync(async () => await b.TextAsync(doc) == "epoch-0;", Convergence, () => Task.FromResult($"b never got the text\n{b.Log}"));

        // b goes away. Meanwhile v joins and is removed again: the key rotates to epoch 1.
        Assert.Equal(0, await b.StopAsync());
        await b.DisposeAsync();
        var invite = await a.Http.PostAsJsonAsync($"api/spaces/{project}/invites", new { role = "viewer", addresses = new[] { a.Address } });
        invite.EnsureSuccessStatusCode();
        var code = (await invite.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString()!;
        (await v.Http.PostAsJsonAsync("api/join", new { code })).EnsureSuccessStatusCode();
        (await a.Http.DeleteAsync($"api/spaces/{project}/members/{v.DeviceId}")).EnsureSuccessStatusCode();
        await a.AppendAsync(doc, "epoch-1;");
        await Task.Delay(1500);
        Assert.Equal(0, await a.StopAsync());

        // b comes back with only the relay to talk to: it learns the rotation (the new key sealed
        // to it), then opens the text sealed at epoch 1.
        await using var b2 = await NodeProcess.StartAsync("b", bData, 0, relayArgs);
        await Eventually.TrueAsync(
            async () => await b2.TextAsync(doc) == "epoch-0;epoch-1;",
            Convergence,
            async () => $"b has \"{await b2.TextAsync(doc)}\"\n--- b ---\n{b2.Log}\n--- a ---\n{a.Log}");
        var onB = await b2.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/spaces/{project}");
        output.WriteLine(onB.ToString());
    }

    [Fact]
    public async Task EditsMadeWhileTheRelayWasDown_ArePostedWhenItIsBack_EvenAfterTheWriterRestarted()
    {
        using var scratch = new ScratchDirectory("p2psync-relay-");
        var relayData = scratch.Combine("relay");
        var aData = scratch.Combine("a");
        var bData = scratch.Combine("b");
        var relay = await RelayProcess.StartAsync(relayData);
        try
        {
            var relayArgs = new[] { "--relay", relay.Url.ToString() };
            var a = await NodeProcess.StartAsync("a", aData, 0, relayArgs);
            var b = await NodeProcess.StartAsync("b", bData, 0, relayArgs);
            await a.TrustAsync(b);
            await b.TrustAsync(a);
            var doc = (await a.CreateDocAsync("notes")).Id;
            await a.AppendAsync(doc, "seen-by-both;");
            await Eventually.TrueAsync(async () => await b.TextAsync(doc) == "seen-by-both;", Convergence, () => Task.FromResult(b.Log));
            Assert.Equal(0, await b.StopAsync());
            await b.DisposeAsync();

            // The relay is down while a writes; a stops before it ever comes back.
            var port = relay.Port;
            await relay.StopAsync();
            await relay.DisposeAsync();
            await a.AppendAsync(doc, "written-while-the-relay-was-down;");
            Assert.Equal(0, await a.StopAsync());
            await a.DisposeAsync();

            // The relay comes back; a starts again and posts what the mailbox never got; then it leaves.
            relay = await RelayProcess.StartAsync(relayData, port);
            await using (var a2 = await NodeProcess.StartAsync("a", aData, 0, relayArgs))
            {
                await Eventually.TrueAsync(
                    () => Task.FromResult(a2.Log.Contains("signed while the mailbox was out of reach", StringComparison.Ordinal)),
                    Convergence,
                    () => Task.FromResult(a2.Log));
                await Task.Delay(500);
                Assert.Equal(0, await a2.StopAsync());
            }

            await using var b2 = await NodeProcess.StartAsync("b", bData, 0, relayArgs);
            await Eventually.TrueAsync(
                async () => await b2.TextAsync(doc) == "seen-by-both;written-while-the-relay-was-down;",
                Convergence,
                async () => $"b has \"{await b2.TextAsync(doc)}\"\n{b2.Log}");
        }
        finally
        {
            await relay.DisposeAsync();
        }
    }

    [Fact]
    public async Task GarbageAndForgeriesPostedToASpacesTopic_AreSkipped_AndTheRealChangesStillArrive()
    {
        using var scratch = new ScratchDirectory("p2psync-relay-");
        await using var relay = await RelayProcess.StartAsync(scratch.Combine("relay"));
        var relayArgs = new[] { "--relay", relay.Url.ToString() };
        var bData = scratch.Combine("b");
        await using var a = await NodeProcess.StartAsync("a", scratch.Combine("a"), 0, relayArgs);
        var b = await NodeProcess.StartAsync("b", bData, 0, relayArgs);
        await a.TrustAsync(b);
        await b.TrustAsync(a);
        var doc = (await a.CreateDocAsync("notes")).Id;
        await a.AppendAsync(doc, "kept;");
        await Eventually.TrueAsync(async () => await b.TextAsync(doc) == "kept;", Convergence, () => Task.FromResult(b.Log));
        var space = (await a.Http.GetFromJsonAsync<System.Text.Json.JsonElement>("api/spaces")).EnumerateArray().Single(s => s.GetProperty("personal").GetBoolean()).GetProperty("id").GetString()!;
        Assert.Equal(0, await b.StopAsync());
        await b.DisposeAsync();

        // A stranger with its own device key posts junk and a forged "sealed envelope" to the
        // space's topic: random bytes, a header naming the space with an epoch nobody has, and a
        // well-formed header with a ciphertext it could not have made.
        using var stranger = P2PSync.Node.Identity.DeviceKey.Generate();
        var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(P2PSync.Node.Hosting.NodeRelay.MailboxUri(relay.Url), CancellationToken.None);
        await using (var client = await P2PSync.Node.Transport.Relay.MailboxClient.ConnectAsync(socket, stranger, CancellationToken.None))
        {
            var topic = P2PSync.Node.Transport.Relay.RelayTopics.For(P2PSync.Node.Security.Spaces.SpaceId.FromBytes(Convert.FromHexString(space)));
            var random = new Random(20261122);
            foreach (var junk in new[] { Bytes(random, 3), Bytes(random, 400), Forged(space, epoch: 99, random), Forged(space, epoch: 0, random) })
            {
                await client.PostAsync(topic, junk, 0, CancellationToken.None);
            }
        }

        await a.AppendAsync(doc, "after the junk;");
        await Task.Delay(1500);
        Assert.Equal(0, await a.StopAsync());
        await using var b2 = await NodeProcess.StartAsync("b", bData, 0, relayArgs);
        await Eventually.TrueAsync(
            async () => await b2.TextAsync(doc) == "kept;after the junk;",
            Convergence,
            async () => $"b has \"{await b2.TextAsync(doc)}\"\n{b2.Log}");
        Assert.True(b2.Log.Contains("skipped an envelope", StringComparison.Ordinal), $"--- b ---\n{b2.Log}\n--- a ---\n{a.Log}\n--- relay ---\n{relay.Log}");
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>ver 1, kind 1, the space id, an epoch, a random nonce and a random "ciphertext" (docs/protocol/sealed-envelope.md).</summary>
    private static byte[] Forged(string space, ulong epoch, Random random)
    {
        var envelope = Bytes(random, 50 + 200);
        envelope[0] = 1;
        envelope[1] = 1;
        Convert.FromHexString(space).CopyTo(envelope, 2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(envelope.AsSpan(18), epoch);
        return envelope;
    }
}
