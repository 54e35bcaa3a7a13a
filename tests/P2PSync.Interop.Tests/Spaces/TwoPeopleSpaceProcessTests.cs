using System.Net;
using P2PSync.Interop.Tests.Handoff;
using P2PSync.Interop.Tests.Node;
using P2PSync.Interop.Tests.Support;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;
using Xunit.Abstractions;

namespace P2PSync.Interop.Tests.Spaces;

/// <summary>
/// Issue 6's story on real processes: Alice's devices A1 and A2, Bob's B1, and a viewer V. Alice
/// shares a space with Bob by invite, all three edit (API and the npm y-websocket client) and
/// converge while each person's personal space stays theirs; V may read but nothing it writes
/// or signs is taken; removing B1 rotates the key and cuts it off both ways. One run carries the
/// whole story, because each chapter starts from the state the previous one left (and four
/// nodes started once keep it within the time a 2-core machine can spare).
/// </summary>
[Collection("node processes")]
public sealed class TwoPeopleSpaceProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(30);

    // A change that must not arrive gets this long to arrive anyway, on top of a change sent after
    // it having already arrived where it should.
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    private const string AlicePrivate = "alice-private-7f3a9c51";
    private const string BobPrivate = "bob-private-2d81e4b7";
    private const string AliceLater = "alice-later-5be0c2f8";
    private const string BobLater = "bob-later-e19d73a6";
    private const string ViewerSigned = "viewer-signed-0c55aa19";
    private const string ForgedAuthor = "forged-author-93be7d02";
    private const string ViewerEditor = "viewer-editor-4a6f10d3";

    [Fact]
    public async Task InviteJoinEditConverge_ThenViewerRefused_ThenRemovalRotatesAndCutsOff()
    {
        await using var group = await NodeGroup.StartAsync("alice-1", "alice-2", "bob-1", "viewer");
        var (a1, a2, b1, v) = (group[0], group[1], group[2], group[3]);
        var team = await ShareAsync(group, a1, a2, b1);
        output.WriteLine($"space {team.Space}, plan {team.Plan}, notes {team.Notes}");
        await PersonalSpacesStayPersonalAsync(group, team, a1, a2, b1);
        await ViewerReadsButCannotWriteAsync(group, team, a1, a2, b1, v, output);
        await RemovalRotatesAndCutsOffAsync(group, team, a1, a2, b1, output);
    }

    /// <summary>Chapter 1: invite, join, documents on both sides, edits on all three devices converge.</summary>
    private static async Task<SharedSpaceSetup> ShareAsync(NodeGroup group, NodeProcess a1, NodeProcess a2, NodeProcess b1)
    {
        await a1.TrustAsync(a2);
        await a2.TrustAsync(a1);
        var aliceDiary = await a1.CreateDocAsync("alice diary");
        await a1.AppendAsync(aliceDiary.Id, AlicePrivate);
        var bobDiary = await b1.CreateDocAsync("bob diary");
        await b1.AppendAsync(bobDiary.Id, BobPrivate);

        // A2 is one of Alice's devices: it shares her personal space, so her diary reaches it.
        await NodeSyncProcessTests.ConvergedAsync(aliceDiary.Id, [AlicePrivate], a1, a2);

        var space = await SpaceCli.NewSpaceAsync(a1, "Project");

        // A2 was already trusted, so `space new` made it an owner as well.
        var members = await P2PSyncCli.SucceedAsync(a1, "space", "members", space);
        Assert.True(members.Stdout.Contains(a2.DeviceId, StringComparison.Ordinal), $"A2 should be a member of the new space:\n{members}");
        await Eventually.TrueAsync(
            async () => (await a2.Http.SpaceAsync(space))?.Role == "owner",
            Convergence,
            () => Task.FromResult($"A2 never held space {space} as an owner\n{group.Logs()}"));

        var code = await SpaceCli.InviteAsync(a1, space, "editor");
        await SpaceCli.JoinOrFailAsync(b1, a1, code);
        Expect.Equal("editor", (await b1.Http.SpaceAsync(space))?.Role, "B1's role after joining with an editor invite", group);

        var plan = await SpaceCli.NewDocAsync(a1, "plan", space);
        var notes = (await b1.Http.CreateDocInAsync("notes", space)).Id;
        foreach (var doc in new[] { plan, notes })
        {
            await Eventually.TrueAsync(
                async () => (await Task.WhenAll(a1.TextAsync(doc), a2.TextAsync(doc), b1.TextAsync(doc))).All(t => t is not null),
                Convergence,
                () => group.DescribeAsync(doc));
        }

        await Task.WhenAll(
            a1.AppendAsync(plan, "[plan a1]"),
            b1.AppendAsync(plan, "[plan b1]"),
            a2.AppendAsync(notes, "[notes a2]"),
            b1.AppendAsync(notes, "[notes b1]"));

        // Two unmodified npm y-websocket clients, one on each person's side, edit the same document.
        string[] planParts = ["[plan a1]", "[plan b1]", "[plan ws a2]", "[plan ws b1]"];
        await Task.WhenAll(
            YWebSocketClientRun.AppendAndAwaitAsync(a2, plan, "[plan ws a2]", planParts, Convergence),
            YWebSocketClientRun.AppendAndAwaitAsync(b1, plan, "[plan ws b1]", planParts, Convergence));
        await NodeSyncProcessTests.ConvergedAsync(plan, planParts, a1, a2, b1);
        await NodeSyncProcessTests.ConvergedAsync(notes, ["[notes a2]", "[notes b1]"], a1, a2, b1);
        return new SharedSpaceSetup(space, plan, notes, aliceDiary.Id, bobDiary.Id);
    }

    /// <summary>Chapter 1, continued (and the issue's marker property at process level): nothing personal crosses to the other person.</summary>
    private static async Task PersonalSpacesStayPersonalAsync(NodeGroup group, SharedSpaceSetup team, NodeProcess a1, NodeProcess a2, NodeProcess b1)
    {
        // Personal documents made while A1 and B1 are connected (the diaries predate the connection).
        var aliceLater = await a1.CreateDocAsync("alice later");
        await a1.AppendAsync(aliceLater.Id, AliceLater);
        var bobLater = await b1.CreateDocAsync("bob later");
        await b1.AppendAsync(bobLater.Id, BobLater);
        await NodeSyncProcessTests.ConvergedAsync(aliceLater.Id, [AliceLater], a1, a2);

        // Shared edits made after them reach everyone, so the personal ones had every chance to leak too.
        await a1.AppendAsync(team.Plan, "[plan a1 after diaries]");
        await b1.AppendAsync(team.Notes, "[notes b1 after diaries]");
        await NodeSyncProcessTests.ConvergedAsync(team.Plan, ["[plan a1 after diaries]"], a1, a2, b1);
        await NodeSyncProcessTests.ConvergedAsync(team.Notes, ["[notes b1 after diaries]"], a1, a2, b1);

        var onB1 = await SpaceCli.DocIdsAsync(b1);
        Assert.True(onB1.Contains(team.Plan) && onB1.Contains(team.Notes), $"B1 should list both shared documents: {string.Join(", ", onB1)}\n{group.Logs()}");
        Expect.NotListed(team.AliceDiary, onB1, "B1's doc list (Alice's diary)", group);
        Expect.NotListed(aliceLater.Id, onB1, "B1's doc list (Alice's later personal document)", group);
        foreach (var alice in new[] { a1, a2 })
        {
            var docs = await SpaceCli.DocIdsAsync(alice);
            Assert.True(docs.Contains(team.Plan) && docs.Contains(team.Notes), $"{alice.DeviceId[..8]} should list both shared documents: {string.Join(", ", docs)}");
            Expect.NotListed(team.BobDiary, docs, $"{alice.DeviceId[..8]}'s doc list (Bob's diary)", group);
            Expect.NotListed(bobLater.Id, docs, $"{alice.DeviceId[..8]}'s doc list (Bob's later personal document)", group);
        }

        foreach (var marker in new[] { AlicePrivate, AliceLater })
        {
            MarkerChecks.Stored(a2, "A2", marker);
            MarkerChecks.Absent(b1, "B1", marker);
        }

        foreach (var marker in new[] { BobPrivate, BobLater })
        {
            MarkerChecks.Stored(b1, "B1", marker);
            MarkerChecks.Absent(a1, "A1", marker);
            MarkerChecks.Absent(a2, "A2", marker);
        }
    }

    /// <summary>
    /// Chapter 2: a viewer gets everything, its API append is refused, and records signed with its
    /// real key (one as itself, one claiming to be A1's) are refused by A1, logged and never stored.
    /// </summary>
    private static async Task ViewerReadsButCannotWriteAsync(NodeGroup group, SharedSpaceSetup team, NodeProcess a1, NodeProcess a2, NodeProcess b1, NodeProcess v, ITestOutputHelper output)
    {
        var code = await SpaceCli.InviteAsync(a1, team.Space, "viewer");
        await SpaceCli.JoinOrFailAsync(v, a1, code);
        Expect.Equal("viewer", (await v.Http.SpaceAsync(team.Space))?.Role, "V's role after joining with a viewer invite", group);
        var planText = await a1.TextAsync(team.Plan) ?? throw new InvalidOperationException("A1 lost its own document");
        await NodeSyncProcessTests.ConvergedAsync(team.Plan, [planText], a1, a2, b1, v);
        await NodeSyncProcessTests.ConvergedAsync(team.Notes, ["[notes a2]", "[notes b1]"], a1, a2, b1, v);

        var (status, body) = await v.Http.TryAppendAsync(team.Plan, "[viewer append]");
        Assert.True(status == HttpStatusCode.Forbidden, $"a viewer's append should be refused with 403, got {(int)status}: {body}");
        Expect.Equal(planText, await v.TextAsync(team.Plan), "V's text after its refused append", group);

        // A viewer's editor may still send edits over the websocket: they are not applied, while
        // the editor stays connected and goes on receiving everyone else's.
        await using (var editor = await YTextEditor.OpenAsync(v, team.Plan))
        {
            await editor.InsertAsync(0, ViewerEditor);
            await a1.AppendAsync(team.Plan, "[plan a1 after viewer edit]");
            planText += "[plan a1 after viewer edit]";
            await NodeSyncProcessTests.ConvergedAsync(team.Plan, [planText], a1, a2, b1, v);
        }

        foreach (var (node, who) in new[] { (a1, "A1"), (a2, "A2"), (b1, "B1"), (v, "V") })
        {
            Expect.Equal(planText, await node.TextAsync(team.Plan), $"{who}'s text after the viewer's websocket edit", group);
            MarkerChecks.Absent(node, who, ViewerEditor);
        }

        foreach (var marker in new[] { AlicePrivate, AliceLater, BobPrivate, BobLater })
        {
            MarkerChecks.Absent(v, "V", marker);
        }

        // One device is one connection: V's node steps aside so the hand-made peer can be V.
        Assert.Equal(0, await v.StopAsync());
        await Eventually.TrueAsync(
            async () => !(await a1.StatusAsync()).Peers.Any(p => p.DeviceId == v.DeviceId && p.Connected),
            Convergence,
            () => Task.FromResult($"A1 still shows V connected after V stopped\n{group.Logs()}"));

        var space = SpaceId.FromBytes(Convert.FromHexString(team.Space));
        byte[] asViewer;
        byte[] claimsA1;
        using (var viewerKey = DeviceKeyStore.Load(v.DataDirectory))
        {
            asViewer = SignedRecord.Create(viewerKey, space, team.Plan, 1, [ForeignTextUpdate.Insert(ViewerSigned, 0x5EED0001)]).Encoded;
            claimsA1 = SignedRecord.Create(viewerKey, space, team.Plan, 1, [ForeignTextUpdate.Insert(ForgedAuthor, 0x5EED0002)]).Encoded.ToArray();
        }

        // The author field (docs/protocol/signed-record.md) rewritten to A1's key; the signature stays V's.
        DeviceId.Parse(a1.DeviceId).PublicKey.Span.CopyTo(claimsA1.AsSpan(SignedRecordCodec.AuthorOffset, DeviceId.KeyLength));

        var refusalsBefore = RefusalLines(a1, v).Count;
        await using (var raw = await RawPeer.ConnectAsync(v.DataDirectory, a1))
        {
            await raw.SendRecordsAsync(team.Plan, [asViewer, claimsA1]);
            await Eventually.TrueAsync(
                () => Task.FromResult(RefusalLines(a1, v).Count >= refusalsBefore + 2),
                Convergence,
                () => Task.FromResult($"A1 did not log both refusals from V\n--- A1 log ---\n{a1.Log}"));
        }

        var refusals = RefusalLines(a1, v).Skip(refusalsBefore).ToList();
        output.WriteLine($"A1 refused V's hand-made records:\n{string.Join("\n", refusals)}");
        Assert.True(refusals.Any(line => line.Contains("viewer", StringComparison.Ordinal)), $"the viewer-signed record should be refused as a viewer's:\n{string.Join("\n", refusals)}");
        Assert.True(refusals.Any(line => line.Contains("signature", StringComparison.Ordinal)), $"the record claiming A1 should be refused for its signature:\n{string.Join("\n", refusals)}");

        // A later edit reaching everyone shows anything A1 had taken in would have gone out too.
        await a1.AppendAsync(team.Plan, "[plan a1 after forgery]");
        await NodeSyncProcessTests.ConvergedAsync(team.Plan, [planText, "[plan a1 after forgery]"], a1, a2, b1);
        Expect.Equal(planText + "[plan a1 after forgery]", await a1.TextAsync(team.Plan), "A1's text after the refused records", group);
        foreach (var (node, who) in new[] { (a1, "A1"), (a2, "A2"), (b1, "B1") })
        {
            MarkerChecks.Absent(node, who, ViewerSigned);
            MarkerChecks.Absent(node, who, ForgedAuthor);
        }
    }

    /// <summary>Chapter 3: removing B1 rotates the key; nothing new reaches B1 and nothing B1 writes later is taken.</summary>
    private static async Task RemovalRotatesAndCutsOffAsync(NodeGroup group, SharedSpaceSetup team, NodeProcess a1, NodeProcess a2, NodeProcess b1, ITestOutputHelper output)
    {
        var epoch = (await a1.Http.SpaceAsync(team.Space))!.KeyEpoch;
        var b1Before = await b1.TextAsync(team.Plan);
        await P2PSyncCli.SucceedAsync(a1, "space", "remove", team.Space, b1.DeviceId);

        Expect.Equal(epoch + 1, (await a1.Http.SpaceAsync(team.Space))?.KeyEpoch, "A1's key epoch right after the removal", group);
        await Eventually.TrueAsync(
            async () => (await a2.Http.SpaceAsync(team.Space))?.KeyEpoch == epoch + 1,
            Convergence,
            () => Task.FromResult($"A2 never got the rotated key (epoch {epoch + 1})\n{group.Logs()}"));
        var members = await P2PSyncCli.SucceedAsync(a1, "space", "members", team.Space);
        Assert.True(
            members.Stdout.Contains($"key epoch {epoch + 1}", StringComparison.Ordinal) && !members.Stdout.Contains(b1.DeviceId, StringComparison.Ordinal),
            $"after the removal A1 should list key epoch {epoch + 1} and no B1 ({b1.DeviceId}):\n{members}");
        await Eventually.TrueAsync(
            async () => !(await a1.StatusAsync()).Peers.Any(p => p.DeviceId == b1.DeviceId && p.Connected),
            Convergence,
            () => Task.FromResult($"A1 kept its connection to the removed B1\n{group.Logs()}"));

        var (status, body) = await b1.Http.TryAppendAsync(team.Plan, "[plan b1 after removal]");
        output.WriteLine($"B1's append after its removal: {(int)status} {body}");
        Assert.True(
            status is HttpStatusCode.OK or HttpStatusCode.NoContent or HttpStatusCode.Forbidden,
            $"B1's append after its removal should be taken locally (it may not know yet) or refused as read-only, got {(int)status}: {body}");
        await Task.WhenAll(a1.AppendAsync(team.Plan, "[plan a1 after removal]"), a2.AppendAsync(team.Plan, "[plan a2 after removal]"));
        await NodeSyncProcessTests.ConvergedAsync(team.Plan, ["[plan a1 after removal]", "[plan a2 after removal]"], a1, a2);
        await Task.Delay(Quiet);

        // B1 may still believe it is a member and keep dialing; A1 must not have let it back in.
        Assert.False(
            (await a1.StatusAsync()).Peers.Any(p => p.DeviceId == b1.DeviceId && p.Connected),
            $"the removed B1 got connected to A1 again\n{group.Logs()}");
        var b1After = await b1.TextAsync(team.Plan);
        var expectedOnB1 = status == HttpStatusCode.Forbidden ? b1Before : b1Before + "[plan b1 after removal]";
        Assert.True(b1After == expectedOnB1, $"B1 must read nothing written after its removal: was \"{b1Before}\", now \"{b1After}\"\n{group.Logs()}");
        foreach (var alice in new[] { a1, a2 })
        {
            var text = await alice.TextAsync(team.Plan);
            Assert.False(text!.Contains("[plan b1 after removal]", StringComparison.Ordinal), $"B1's edit after its removal reached {alice.DeviceId[..8]}: {text}\n{group.Logs()}");
        }

        // B1 may be told that it was removed, but never gets the new key; A2, which stayed, has it.
        var onB1 = await b1.Http.SpaceAsync(team.Space);
        Assert.True(onB1?.Role is null, $"B1 still sees itself as {onB1?.Role} of the space it was removed from\n{group.Logs()}");
        var b1Keys = StoredKeys.EpochsOf(b1.DataDirectory, team.Space);
        Assert.True(!b1Keys.Contains((long)epoch + 1), $"B1's store holds key epochs {string.Join(", ", b1Keys)}, including the one made when it was removed ({epoch + 1})");
        Assert.Contains((long)epoch, b1Keys);
        var a2Keys = StoredKeys.EpochsOf(a2.DataDirectory, team.Space);
        Assert.True(a2Keys.Contains((long)epoch + 1), $"A2's store holds key epochs {string.Join(", ", a2Keys)}, without the rotated one ({epoch + 1})");
    }

    private static List<string> RefusalLines(NodeProcess node, NodeProcess from) =>
        [.. node.Log.Split('\n').Where(line => line.Contains($"refused from {from.DeviceId[..8]}", StringComparison.Ordinal))];
}
