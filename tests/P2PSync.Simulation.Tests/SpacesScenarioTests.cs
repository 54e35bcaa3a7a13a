using Google.Protobuf;
using P2PSync.Crdt;
using P2PSync.Crdt.Core;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Sync;
using P2PSync.Node.Transport.InMemory;
using P2PSync.Protocol.Wire;
using P2PSync.Simulation.Tests.Support;

namespace P2PSync.Simulation.Tests;

/// <summary>
/// Spaces end to end over the in-memory network, with real device keys, signed records and the
/// real space directory (issue 6, "Tests"): two people sharing a space, a viewer, a removal
/// with key rotation, a forged record, and relaying through a member that may not write.
/// </summary>
public sealed class SpacesScenarioTests
{
    private const int Seed = 606;

    [Fact]
    public void Three_devices_of_two_people_share_one_space_and_keep_the_rest_private()
    {
        var run = new SimulationRun(Seed, 3, oneOwner: false);
        var (ann1, ann2, bob) = (run.Nodes[0], run.Nodes[1], run.Nodes[2]);
        var world = new People(run, editor: true);
        var diary = ann1.Source.Create("diary", ann1.NowMs, world.Ann1Personal);
        ann1.Edit(diary.Id, d => d.GetText("text").Insert(0, "dear diary"));
        var bobNotes = bob.Source.Create("bob notes", bob.NowMs, world.BobPersonal);
        bob.Edit(bobNotes.Id, d => d.GetText("text").Insert(0, "bob only"));

        run.SettleOrFail();
        bob.Edit(world.Plan.Id, d => d.GetText("text").Insert(0, "bob: "));
        ann2.Edit(world.Plan.Id, d => d.GetText("text").Insert(d.GetText("text").Length, " (ann2)"));
        run.SettleOrFail();

        var expected = Text(ann1, world.Plan.Id);
        Assert.Contains("bob: ", expected, StringComparison.Ordinal);
        Assert.Contains("(ann2)", expected, StringComparison.Ordinal);
        Assert.All(run.Nodes, n => Assert.Equal(expected, Text(n, world.Plan.Id)));
        Assert.All(run.Nodes, n => Assert.Empty(n.Refusals));
        Assert.Equal("dear diary", Text(ann2, diary.Id));
        Assert.Null(bob.Source.FindDocument(diary.Id));
        Assert.Null(bob.Spaces.Directory.Find(world.Ann1Personal));
        Assert.Null(ann1.Source.FindDocument(bobNotes.Id));
        Assert.Null(ann2.Source.FindDocument(bobNotes.Id));
        Assert.Equal(SpaceRole.Editor, bob.Spaces.Directory.RoleOf(world.Project, bob.Id));
    }

    [Fact]
    public void A_viewers_records_are_refused_by_everyone_and_never_applied()
    {
        var run = new SimulationRun(Seed, 3, oneOwner: false);
        var (ann1, ann2, bob) = (run.Nodes[0], run.Nodes[1], run.Nodes[2]);
        var world = new People(run, editor: false);
        run.SettleOrFail();
        var before = Text(ann1, world.Plan.Id);

        Assert.True(bob.Edit(world.Plan.Id, d => d.GetText("text").Insert(0, "viewer text ")));
        run.SettleOrFail();

        Assert.Equal("viewer text " + before, Text(bob, world.Plan.Id));
        foreach (var ann in new[] { ann1, ann2 })
        {
            Assert.Equal(before, Text(ann, world.Plan.Id));
            Assert.Equal(0ul, ann.Source.RecordVector(world.Plan.Id).SeqOf(bob.Id));
            Assert.Contains(ann.Refusals, r => r.Contains("viewer", StringComparison.Ordinal) && r.Contains(bob.Id.ToShortString(), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Records_relayed_by_a_viewer_are_accepted_because_their_author_signed_them()
    {
        // A line: ann1 - bob - ann2. Bob, a viewer, is the only path between Ann's devices.
        var run = new SimulationRun(Seed, 3, lineTopology: true, oneOwner: false);
        var (ann1, bob, ann2) = (run.Nodes[0], run.Nodes[1], run.Nodes[2]);
        var world = new People(run, ann1, ann2, bob, editor: false);
        run.SettleOrFail();
        ann1.Edit(world.Plan.Id, d => d.GetText("text").Insert(0, "relayed "));
        ann2.Edit(world.Plan.Id, d => d.GetMap("map").Set("from", "ann2"));
        run.SettleOrFail();

        Assert.All(run.Nodes, n => Assert.Equal(Text(ann1, world.Plan.Id), Text(n, world.Plan.Id)));
        Assert.StartsWith("relayed ", Text(ann2, world.Plan.Id), StringComparison.Ordinal);
        Assert.Equal("ann2", ann1.Source.Doc(world.Plan.Id).GetMap("map").Get("from"));
        Assert.Equal(ann1.Source.RecordVector(world.Plan.Id).ToString(), ann2.Source.RecordVector(world.Plan.Id).ToString());
        Assert.All(run.Nodes, n => Assert.Empty(n.Refusals));
    }

    [Fact]
    public void After_removal_and_rotation_the_removed_device_gets_nothing_new_and_its_records_are_refused()
    {
        var run = new SimulationRun(Seed, 3, oneOwner: false);
        var (ann1, ann2, bob) = (run.Nodes[0], run.Nodes[1], run.Nodes[2]);
        var world = new People(run, editor: true);
        run.SettleOrFail();
        bob.Edit(world.Plan.Id, d => d.GetText("text").Insert(0, "bob before. "));
        run.SettleOrFail();
        Assert.StartsWith("bob before. ", Text(ann2, world.Plan.Id), StringComparison.Ordinal);

        ann1.Spaces.Remove(world.Project, bob.Id);
        ann1.SpaceChanged(world.Project);
        run.SettleOrFail();
        Assert.Null(ann2.Spaces.Directory.RoleOf(world.Project, bob.Id));
        Assert.Equal(1ul, ann2.Spaces.Directory.Find(world.Project)!.Log.CurrentEpoch);

        ann1.Edit(world.Plan.Id, d => d.GetText("text").Insert(d.GetText("text").Length, " secret after removal"));
        bob.Edit(world.Plan.Id, d => d.GetText("text").Insert(0, "bob after. "));
        var renamed = ann2.Source.Rename(world.Plan.Id, "plan v2", ann2.NowMs);
        ann2.Send(ann2.Coordinator.LocalDocumentChanged(renamed));
        run.SettleOrFail();

        Assert.Equal(Text(ann1, world.Plan.Id), Text(ann2, world.Plan.Id));
        Assert.EndsWith("secret after removal", Text(ann2, world.Plan.Id), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", Text(bob, world.Plan.Id), StringComparison.Ordinal);
        Assert.Equal("plan", bob.Source.FindDocument(world.Plan.Id)!.Name);
        Assert.DoesNotContain("bob after", Text(ann1, world.Plan.Id), StringComparison.Ordinal);
        Assert.Equal(1ul, ann1.Source.RecordVector(world.Plan.Id).SeqOf(bob.Id));
        Assert.Contains(ann1.Refusals, r => r.Contains("not a member", StringComparison.Ordinal));
        Assert.Contains(ann2.Refusals, r => r.Contains("not a member", StringComparison.Ordinal));

        // The new epoch's key reached the remaining member only.
        Assert.True(ann2.Spaces.Directory.Find(world.Project)!.Keys.TryGet(1, out _));
        Assert.False(bob.Spaces.Directory.Find(world.Project)!.Keys.TryGet(1, out _));
    }

    [Fact]
    public void A_forged_record_is_refused_and_the_connection_stays()
    {
        var run = new SimulationRun(Seed, 3, oneOwner: false);
        var (ann1, ann2, bob) = (run.Nodes[0], run.Nodes[1], run.Nodes[2]);
        var world = new People(run, editor: true);
        run.SettleOrFail();
        var before = Text(ann1, world.Plan.Id);

        // Bob's next record, with one byte of its content changed after signing.
        var scratch = new Doc(new DocOptions { ClientId = 424242 });
        scratch.GetText("text").Insert(0, "forged words");
        var record = SignedRecord.Create(bob.Key, world.Project, world.Plan.Id, bob.Source.Records(world.Plan.Id).NextSeq(bob.Id), [Y.EncodeStateAsUpdate(scratch)]);
        var forged = (byte[])record.Encoded.Clone();
        var at = forged.AsSpan().IndexOf("forged"u8);
        forged[at] = (byte)'F';
        var toAnn1 = bob.Coordinator.Connections.Single(c => c.RemoteDevice == ann1.Id);
        bob.Send([new OutgoingEnvelope<InMemoryConnection>(toAnn1, new Envelope { Records = new Records { DocId = world.Plan.Id, Records_ = { ByteString.CopyFrom(forged) } } })]);
        run.SettleOrFail();

        Assert.Contains(ann1.Refusals, r => r.Contains("signature does not verify", StringComparison.Ordinal));
        Assert.All(run.Nodes.Take(2), n => Assert.Equal(before, Text(n, world.Plan.Id)));
        Assert.True(ann1.HasLiveConnectionTo(bob.Id));

        // The same connection still carries Bob's genuine records.
        bob.Edit(world.Plan.Id, d => d.GetText("text").Insert(0, "genuine "));
        run.SettleOrFail();
        Assert.StartsWith("genuine ", Text(ann1, world.Plan.Id), StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_added_during_faults_converges_with_everyone()
    {
        // Seeds 1..20: five devices in one project, the fifth added by an owner halfway through
        // random edits under drops, late duplicates and partitions.
        for (var seed = 1; seed <= 20; seed++)
        {
            var run = new SimulationRun(seed, 5, lineTopology: seed % 3 == 0, oneOwner: false);
            var owner = run.Nodes[0];
            var late = run.Nodes[4];
            var project = owner.Spaces.Create("project", owner.NowMs, [run.Nodes[1].Id]);
            owner.Spaces.AddMember(project, run.Nodes[2].Id, SpaceRole.Editor);
            owner.Spaces.AddMember(project, run.Nodes[3].Id, SpaceRole.Editor);
            run.NewDocumentSpace = node => node.Spaces.IsMember(project, node.Id) ? project : null;

            run.RunChaos(ticks: 300);
            Assert.True(late.Source.DocIds.Count() == 0, $"seed {seed}: a non-member received documents");
            owner.Spaces.AddMember(project, late.Id, SpaceRole.Editor);
            owner.SpaceChanged(project);
            run.RunChaos(ticks: 300);

            Assert.True(run.Settle(), $"seed {seed}: the network did not settle");
            var differences = run.Differences();
            Assert.True(differences.Count == 0, $"seed {seed} diverged:\n{string.Join("\n", differences.Take(10))}");
            Assert.True(late.Source.DocIds.Any(), $"seed {seed}: the late member got no documents");
        }
    }

    private static string Text(SimNode node, string docId) => node.Source.Doc(docId).GetText("text").ToString();

    /// <summary>
    /// Ann has two devices (each other's owners in their personal spaces, as `peer add` both ways
    /// makes them); Bob has one. Ann's first device creates "project" with her other device as
    /// owner and adds Bob (the invite, modelled by AddMember) as editor or viewer, and writes "plan".
    /// </summary>
    private sealed class People
    {
        public People(SimulationRun run, bool editor)
            : this(run, run.Nodes[0], run.Nodes[1], run.Nodes[2], editor)
        {
        }

        public People(SimulationRun run, SimNode ann1, SimNode ann2, SimNode bob, bool editor)
        {
            var now = ann1.NowMs;
            Ann1Personal = ann1.Spaces.Create("ann1", now, [ann2.Id], personal: true);
            ann2.Spaces.Create("ann2", now, [ann1.Id], personal: true);
            BobPersonal = bob.Spaces.Create("bob", now, [], personal: true);
            Project = ann1.Spaces.Create("project", now, [ann2.Id]);
            ann1.Spaces.AddMember(Project, bob.Id, editor ? SpaceRole.Editor : SpaceRole.Viewer);
            Plan = ann1.Source.Create("plan", now, Project);
            ann1.Edit(Plan.Id, d => d.GetText("text").Insert(0, $"seed {run.Seed} plan"));
        }

        public SpaceId Ann1Personal { get; }

        public SpaceId BobPersonal { get; }

        public SpaceId Project { get; }

        public SyncDocument Plan { get; }
    }
}
