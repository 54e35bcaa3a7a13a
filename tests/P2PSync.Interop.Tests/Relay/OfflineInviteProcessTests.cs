using System.Net.WebSockets;
using P2PSync.Interop.Tests.Handoff;
using P2PSync.Interop.Tests.Node;
using P2PSync.Interop.Tests.Spaces;
using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Invites;
using P2PSync.Node.Transport.Relay;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.Relay;

/// <summary>
/// Joining a space through the relay while the inviter is offline (docs/protocol/join.md, "Through
/// the relay"), with real relay and node processes on loopback: the code names no address, the
/// joiner becomes a real member whose edits the inviter accepts, and the code works once.
/// </summary>
[Collection("node processes")]
public sealed class OfflineInviteProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AJoinerClaimsTheInviteFromTheRelayAlone_EditsAsAMember_AndTheCodeWorksOnce()
    {
        using var scratch = new ScratchDirectory("p2psync-invite-");
        var relayData = scratch.Combine("relay");
        await using var relay = await RelayProcess.StartAsync(relayData);
        var relayArgs = new[] { "--relay", relay.Url.ToString() };
        var aData = scratch.Combine("a");
        var a = await NodeProcess.StartAsync("a", aData, 0, relayArgs);
        var project = await a.Http.CreateSpaceAsync("invite-space-name-31");
        var doc = (await a.Http.CreateDocInAsync("invite-doc-name-57", project)).Id;
        await a.AppendAsync(doc, "from-a;");
        var code = await RelayInviteAsync(a, project);

        // Written after the package went out: it follows the package on the invite topic.
        await a.AppendAsync(doc, "after-package;");
        await Task.Delay(1500);
        Assert.Equal(0, await a.StopAsync());
        var aLog = a.Log;
        await a.DisposeAsync();

        // b never meets a: the package on the relay is its only way in.
        await using var b = await NodeProcess.StartAsync("b", scratch.Combine("b"), 0, relayArgs);
        var joined = await P2PSyncCli.RunAsync(b, "join", code);
        Assert.True(joined.Succeeded, $"{joined}\n--- b ---\n{b.Log}\n--- a ---\n{aLog}");
        Assert.Contains("as editor", joined.Stdout, StringComparison.OrdinalIgnoreCase);
        await Eventually.TrueAsync(async () => await b.TextAsync(doc) == "from-a;after-package;", Convergence, async () => $"b has \"{await b.TextAsync(doc)}\"\n{b.Log}");
        await b.AppendAsync(doc, "from-b;");

        // The code works once: a third device finds nothing left to claim.
        await using var c = await NodeProcess.StartAsync("c", scratch.Combine("c"), 0, relayArgs);
        var second = await P2PSyncCli.RunAsync(c, "join", code);
        Assert.False(second.Succeeded, second.ToString());
        Assert.Contains("left nothing on the relay", second.Stderr, StringComparison.Ordinal);
        output.WriteLine(second.ToString());
        Assert.True(await c.Http.SpaceAsync(project) is null, "c got into the space with a used code");

        // a comes back, again only through the relay: it accepts b as a member and takes its edit;
        // b takes whatever a posts again for its new member.
        await using var a2 = await NodeProcess.StartAsync("a", aData, 0, relayArgs);
        await Eventually.TrueAsync(
            async () => await a2.TextAsync(doc) == "from-a;after-package;from-b;" && await b.TextAsync(doc) == "from-a;after-package;from-b;",
            Convergence,
            async () => $"a has \"{await a2.TextAsync(doc)}\", b has \"{await b.TextAsync(doc)}\"\n--- a ---\n{a2.Log}\n--- b ---\n{b.Log}");
        var members = (await a2.Http.SpaceAsync(project))!.Members;
        Assert.Contains(members, m => m.DeviceId == b.DeviceId && m.Role == "editor");

        // Blindness: the package and the records went through the relay sealed; its files and log hold no name or text.
        await relay.StopAsync();
        var relayBytes = Directory.GetFiles(relayData, "*", SearchOption.AllDirectories).SelectMany(File.ReadAllBytes).ToArray();
        foreach (var secret in new[] { "from-a;", "from-b;", "invite-space-name-31", "invite-doc-name-57" })
        {
            Assert.Equal(-1, relayBytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(secret)));
            Assert.DoesNotContain(secret, relay.Log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task APackageWithATamperedByte_IsRefused_AndNothingIsJoined()
    {
        using var scratch = new ScratchDirectory("p2psync-invite-");
        await using var relay = await RelayProcess.StartAsync(scratch.Combine("relay"));
        var relayArgs = new[] { "--relay", relay.Url.ToString() };
        var a = await NodeProcess.StartAsync("a", scratch.Combine("a"), 0, relayArgs);
        var project = await a.Http.CreateSpaceAsync("Project");
        var code = await RelayInviteAsync(a, project);
        Assert.Equal(0, await a.StopAsync());
        await a.DisposeAsync();

        // Someone on the relay's side takes the package away and leaves a copy with one byte changed.
        var topic = RelayInviteKeys.Topic(InviteSecrets.InviteId(InviteCodec.Decode(code).Secret));
        using (var tamperer = DeviceKey.Generate())
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(NodeRelay.MailboxUri(relay.Url), CancellationToken.None);
            await using var mailbox = await MailboxClient.ConnectAsync(socket, tamperer, CancellationToken.None);
            var batch = await mailbox.FetchAsync(topic, 0, 0, CancellationToken.None);
            var package = batch.Items[0].Envelope.ToByteArray();
            await mailbox.AckAsync(topic, batch.Items[^1].Cursor, CancellationToken.None);
            package[package.Length / 2] ^= 0x01;
            await mailbox.PostAsync(topic, package, 0, CancellationToken.None);
        }

        await using var b = await NodeProcess.StartAsync("b", scratch.Combine("b"), 0, relayArgs);
        var joined = await P2PSyncCli.RunAsync(b, "join", code);
        Assert.False(joined.Succeeded, joined.ToString());
        Assert.Contains("does not open", joined.Stdout + joined.Stderr, StringComparison.Ordinal);
        Assert.True(await b.Http.SpaceAsync(project) is null, "b adopted the space from a tampered package");
    }

    [Fact]
    public async Task TwoInvitesClaimedWhileTheInviterIsAway_MakeBothJoinersMembers_ForEveryone()
    {
        using var scratch = new ScratchDirectory("p2psync-invite-");
        await using var relay = await RelayProcess.StartAsync(scratch.Combine("relay"));
        var relayArgs = new[] { "--relay", relay.Url.ToString() };
        var aData = scratch.Combine("a");
        var a = await NodeProcess.StartAsync("a", aData, 0, relayArgs);
        var project = await a.Http.CreateSpaceAsync("Project");
        var doc = (await a.Http.CreateDocInAsync("plan", project)).Id;
        await a.AppendAsync(doc, "from-a;");
        var forB = await RelayInviteAsync(a, project);
        // This one names a's address too: c dials it first, finds nobody, and falls back on the relay.
        var forC = await RelayInviteAsync(a, project, a.Address);
        Assert.Equal(0, await a.StopAsync());
        await a.DisposeAsync();

        // Both packages hold the same log; c claims after b's entry, which b left on the space's topic.
        await using var b = await NodeProcess.StartAsync("b", scratch.Combine("b"), 0, relayArgs);
        var joinedB = await P2PSyncCli.RunAsync(b, "join", forB);
        Assert.True(joinedB.Succeeded, $"{joinedB}\n{b.Log}");
        await using var c = await NodeProcess.StartAsync("c", scratch.Combine("c"), 0, relayArgs);
        var joinedC = await P2PSyncCli.RunAsync(c, "join", forC);
        Assert.True(joinedC.Succeeded, $"{joinedC}\n{c.Log}");
        await c.AppendAsync(doc, "from-c;");

        await using var a2 = await NodeProcess.StartAsync("a", aData, 0, relayArgs);
        await Eventually.TrueAsync(
            async () => await a2.TextAsync(doc) == "from-a;from-c;" && await b.TextAsync(doc) == "from-a;from-c;",
            Convergence,
            async () => $"a has \"{await a2.TextAsync(doc)}\", b has \"{await b.TextAsync(doc)}\"\n--- a ---\n{a2.Log}\n--- b ---\n{b.Log}\n--- c ---\n{c.Log}");
        foreach (var node in new[] { a2, b, c })
        {
            var members = (await node.Http.SpaceAsync(project))!.Members;
            Assert.True(
                members.Any(m => m.DeviceId == b.DeviceId && m.Role == "editor") && members.Any(m => m.DeviceId == c.DeviceId && m.Role == "editor"),
                $"members on {node.DeviceId[..8]}: {string.Join(", ", members.Select(m => $"{m.DeviceId[..8]}={m.Role}"))}");
        }
    }

    /// <summary>
    /// <c>invite SPACE --role editor --relay-only</c> (or <c>--address ADDRESS</c>), then waits until
    /// the node left the package on the relay.
    /// </summary>
    private static async Task<string> RelayInviteAsync(NodeProcess inviter, string space, string? address = null)
    {
        const string Posted = "left the package of an invite";
        var before = Occurrences(inviter.Log, Posted);
        string[] args = address is null
            ? ["invite", space, "--role", "editor", "--relay-only"]
            : ["invite", space, "--role", "editor", "--address", address];
        var result = await P2PSyncCli.SucceedAsync(inviter, args);
        var code = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        Assert.Equal(address is null ? [] : new[] { address }, InviteCodec.Decode(code).InviterAddresses);
        await Eventually.TrueAsync(
            () => Task.FromResult(Occurrences(inviter.Log, Posted) > before),
            Convergence,
            () => Task.FromResult($"the inviter never posted the package\n{inviter.Log}"));
        return code;
    }

    private static int Occurrences(string text, string fragment)
    {
        var count = 0;
        for (var at = text.IndexOf(fragment, StringComparison.Ordinal); at >= 0; at = text.IndexOf(fragment, at + fragment.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
