using System.Diagnostics;
using P2PSync.Node.Handoff;
using Xunit.Abstractions;

namespace P2PSync.Simulation.Tests.Handoff;

/// <summary>
/// Handoffs that succeed: push (offer/accept) and pull, with concurrent edits by a third device,
/// documents the receiver never had, and a 5 MB document in many chunks.
/// </summary>
public sealed class HandoffScenarioTests(ITestOutputHelper output)
{
    private const string Base = "Hello wonderful world";

    [Fact]
    public void Offer_accepted_resumes_the_same_text_cursor_selection_and_state()
    {
        HandoffSeeds.Run(20, seed =>
        {
            var sim = new HandoffSimulation(seed, 2);
            var (a, b) = (sim.A, sim.B);
            a.Documents.Create("notes", "Notes", sim.NowMs, a.Id);
            var first = a.Documents.Edit("notes", d => d.GetText("text").Insert(0, Base));
            // B has an older version: the first edit, not the second.
            b.Documents.Create("notes", "Notes", sim.NowMs, a.Id);
            HandoffSimulation.Sync(first, "notes", a, b);
            a.Documents.Edit("notes", d => d.GetText("text").Insert(Base.Length, ", again"));
            var cursor = Base.IndexOf('w', 7);
            HandoffTestActivity.SetCursor(a, "notes", cursor, anchor: 6, stateJson: "{\"panel\":\"outline\",\"items\":[1,2,3]}");

            sim.Connect(a, b);
            sim.DeliverAll();
            sim.Run(a, e => e.Offer(b.Id));
            sim.DeliverAll();
            var offered = Assert.Single(b.Events, e => e.Kind == HandoffEvent.Offered);
            Assert.Equal(HandoffState.Offered, b.Handoff(offered.HandoffId).State);
            sim.Run(b, e => e.Accept(offered.HandoffId));
            sim.DeliverAll();

            Assert.Equal(a.Documents.Text("notes"), b.Documents.Text("notes"));
            Assert.Equal(cursor, HandoffTestActivity.Cursor(b, "notes"));
            Assert.Equal(6, HandoffTestActivity.Anchor(b, "notes"));
            var resumed = b.Activity.Current;
            Assert.Equal(a.Id.ToString(), resumed.ResumedFrom);
            Assert.Equal("outline", resumed.State!.Value.GetProperty("panel").GetString());
            Assert.Equal(1.5, resumed.Documents[0].View!.Value.GetProperty("zoom").GetDouble());
            Assert.True(resumed.Version > a.Activity.Current.Version - 1, "the resumed version supersedes the sender's");

            Assert.Equal(HandoffState.Ready, b.Handoff(offered.HandoffId).State);
            Assert.Equal(HandoffState.HandedOff, a.Handoff(offered.HandoffId).State);
            Assert.Equal(b.Id.ToString(), a.Activity.Current.HandedOffTo);
            Assert.Equal(
                [HandoffEvent.Offered, HandoffEvent.Requested, HandoffEvent.Transferring, HandoffEvent.Progress, HandoffEvent.Ready],
                b.Events.Select(e => e.Kind).Distinct());
            Assert.Equal([HandoffEvent.Requested, HandoffEvent.Transferring, HandoffEvent.HandedOff], a.Events.Select(e => e.Kind));
            // Both sides told each other their new activity: B sees A's as handed off to B.
            Assert.Equal(b.Id.ToString(), b.Engine.PeerActivities[a.Id].HandedOffTo);
            Assert.Equal("notes", Assert.Single(a.Engine.PeerActivities[b.Id].Documents).DocId);
            Assert.Null(a.Engine.NextWakeUp);
            Assert.Null(b.Engine.NextWakeUp);
        });
    }

    [Fact]
    public void Concurrent_insert_before_the_cursor_during_the_transfer_keeps_the_cursor_on_its_character()
    {
        var chunkSizes = new List<int>();
        HandoffSeeds.Run(30, seed =>
        {
            // Small chunks so the transfer takes many messages and C's edit lands in the middle.
            var sim = new HandoffSimulation(seed, 3, new HandoffOptions { ChunkBytes = 4 });
            var (a, b, c) = (sim.A, sim.B, sim.C);
            var random = new Random(seed);
            a.Documents.Create("notes", "Notes", sim.NowMs, a.Id);
            var first = a.Documents.Edit("notes", d => d.GetText("text").Insert(0, Base));
            foreach (var other in new[] { b, c })
            {
                other.Documents.Create("notes", "Notes", sim.NowMs, a.Id);
                HandoffSimulation.Sync(first, "notes", a, other);
            }

            // A keeps writing; C sees it (they are in sync), B does not yet.
            var more = a.Documents.Edit("notes", d => d.GetText("text").Insert(Base.Length, " and more text after it"));
            HandoffSimulation.Sync(more, "notes", a, c);
            var cursor = Base.IndexOf('w', 7);
            HandoffTestActivity.SetCursor(a, "notes", cursor, anchor: cursor + 5);

            sim.Connect(a, b);
            sim.Connect(b, c);
            sim.DeliverAll();
            sim.Run(b, e => e.Pull(a.Id));
            while (!b.Events.Any(e => e.Kind == HandoffEvent.Transferring))
            {
                Assert.True(sim.DeliverAll(1) == 1, "the transfer never started");
            }

            chunkSizes.Add(sim.Queued(a, b));
            sim.DeliverAll(random.Next(0, sim.Queued(a, b)));
            var insertAt = random.Next(0, cursor + 1);
            var inserted = new string('X', 1 + random.Next(5));
            var edit = c.Documents.Edit("notes", d => d.GetText("text").Insert(insertAt, inserted));
            // What sync does in parallel with the handoff: C's edit reaches A and B.
            HandoffSimulation.Sync(edit, "notes", c, a, b);
            sim.DeliverAll();

            var expected = a.Documents.Text("notes");
            Assert.Equal(expected, b.Documents.Text("notes"));
            Assert.Equal(expected, c.Documents.Text("notes"));
            Assert.Equal(cursor + inserted.Length, HandoffTestActivity.Cursor(b, "notes"));
            Assert.Equal('w', expected[HandoffTestActivity.Cursor(b, "notes")!.Value]);
            Assert.Equal(HandoffTestActivity.Cursor(a, "notes"), HandoffTestActivity.Cursor(b, "notes"));
            Assert.Equal(cursor + 5 + inserted.Length, HandoffTestActivity.Anchor(b, "notes"));
            Assert.Equal(HandoffState.Ready, Assert.Single(b.Engine.Handoffs).State);
        });
        Assert.True(chunkSizes.Average() > 5, $"transfers were too short to interleave: {chunkSizes.Average()} messages");
    }

    [Fact]
    public void Pull_brings_documents_the_receiver_never_had()
    {
        HandoffSeeds.Run(10, seed =>
        {
            var sim = new HandoffSimulation(seed, 2);
            var (a, b) = (sim.A, sim.B);
            a.Documents.Create("known", "Known", sim.NowMs, a.Id);
            var shared = a.Documents.Edit("known", d => d.GetText("text").Insert(0, "shared start"));
            b.Documents.Create("known", "Known", sim.NowMs, a.Id);
            HandoffSimulation.Sync(shared, "known", a, b);
            a.Documents.Edit("known", d => d.GetText("text").Insert(0, "only on A: "));
            a.Documents.Create("fresh", "Fresh ideas", sim.NowMs + 5, a.Id);
            a.Documents.Edit("fresh", d => d.GetText("text").Insert(0, "a document B never saw"));
            a.Documents.Create("empty", "Empty one", sim.NowMs + 9, a.Id);
            a.Activity.Set(
            [
                new ActivityDocument("known", ActivityPositions.FromIndex(a.Documents.Doc("known"), 3), null, null),
                new ActivityDocument("fresh", ActivityPositions.FromIndex(a.Documents.Doc("fresh"), 12), ActivityPositions.FromIndex(a.Documents.Doc("fresh"), 2), null),
                new ActivityDocument("empty", ActivityPositions.FromIndex(a.Documents.Doc("empty"), 0), null, null),
            ], null);

            sim.Connect(a, b);
            sim.DeliverAll();
            Assert.Equal(["known", "fresh", "empty"], b.Engine.PeerActivities[a.Id].Documents.Select(d => d.DocId));
            Assert.Equal("Fresh ideas", b.Engine.PeerActivities[a.Id].Documents[1].Name);
            sim.Run(b, e => e.Pull(a.Id));
            sim.DeliverAll();

            foreach (var id in new[] { "known", "fresh", "empty" })
            {
                Assert.Equal(a.Documents.Text(id), b.Documents.Text(id));
                Assert.Equal(a.Documents.Record(id), b.Documents.Record(id));
            }

            Assert.Equal(12, HandoffTestActivity.Cursor(b, "fresh"));
            Assert.Equal(2, HandoffTestActivity.Anchor(b, "fresh"));
            Assert.Equal(3, HandoffTestActivity.Cursor(b, "known"));
            var info = Assert.Single(b.Engine.Handoffs);
            Assert.Equal((HandoffDirection.In, HandoffKind.Pull, HandoffState.Ready), (info.Direction, info.Kind, info.State));
            Assert.Null(info.Reason);
            Assert.Equal(info.BytesTotal, info.BytesDone);
            var sent = Assert.Single(a.Engine.Handoffs);
            Assert.Equal((HandoffDirection.Out, HandoffKind.Pull, HandoffState.HandedOff), (sent.Direction, sent.Kind, sent.State));
        });
    }

    [Fact]
    public void A_5_MB_document_streams_in_chunks_with_monotonic_progress()
    {
        var sim = new HandoffSimulation(5, 2);
        var (a, b) = (sim.A, sim.B);
        var random = new Random(5);
        var text = string.Create(5 * 1024 * 1024, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + r.Next(26));
            }
        });
        a.Documents.Create("big", "Big", sim.NowMs, a.Id);
        a.Documents.Edit("big", d => d.GetText("text").Insert(0, text));
        HandoffTestActivity.SetCursor(a, "big", 4_000_000);
        sim.Connect(a, b);
        sim.DeliverAll();

        var stopwatch = Stopwatch.StartNew();
        sim.Run(a, e => e.Offer(b.Id));
        sim.DeliverAll();
        sim.Run(b, e => e.Accept(b.Events.Single(x => x.Kind == HandoffEvent.Offered).HandoffId));
        sim.DeliverAll();
        stopwatch.Stop();

        Assert.Equal(text, b.Documents.Text("big"));
        Assert.Equal(4_000_000, HandoffTestActivity.Cursor(b, "big"));
        var progress = b.Events.Where(e => e.Kind == HandoffEvent.Progress).ToList();
        Assert.True(progress.Count >= 80, $"{progress.Count} chunks");
        var total = progress[0].BytesTotal;
        Assert.True(total >= 5 * 1024 * 1024, $"{total} bytes");
        for (var i = 1; i < progress.Count; i++)
        {
            Assert.True(progress[i].BytesDone > progress[i - 1].BytesDone, $"progress went from {progress[i - 1].BytesDone} to {progress[i].BytesDone}");
            Assert.Equal(total, progress[i].BytesTotal);
        }

        Assert.Equal(total, progress[^1].BytesDone);
        Assert.Equal(total, sim.ChunkBytesDelivered[b]);
        Assert.Equal(HandoffEvent.Ready, b.Events[^1].Kind);
        output.WriteLine($"5 MiB text ({total} update bytes, {progress.Count} chunks): offer to ready in {stopwatch.ElapsedMilliseconds} ms in simulation");
    }

    [Fact]
    public void Presence_reaches_every_connected_peer_once_per_version()
    {
        var sim = new HandoffSimulation(3, 3);
        var (a, b, c) = (sim.A, sim.B, sim.C);
        sim.Connect(a, b);
        sim.Connect(a, c);
        sim.DeliverAll();
        Assert.Empty(b.Engine.PeerActivities[a.Id].Documents);

        a.Documents.Create("plan", "Plan", sim.NowMs, a.Id);
        HandoffTestActivity.Open(a, "plan");
        sim.Run(a, e => e.OnActivityChanged());
        Assert.Equal(2, sim.Queued(a, b) + sim.Queued(a, c));
        sim.Run(a, e => e.OnActivityChanged());
        Assert.Equal(2, sim.Queued(a, b) + sim.Queued(a, c));
        sim.DeliverAll();

        foreach (var peer in new[] { b, c })
        {
            var presence = peer.Engine.PeerActivities[a.Id];
            Assert.Equal((ulong)a.Activity.Current.Version, presence.Version);
            Assert.Equal("Plan", Assert.Single(presence.Documents).Name);
        }

        sim.Disconnect(a, c);
        Assert.False(c.Engine.PeerActivities.ContainsKey(a.Id));
        Assert.True(b.Engine.PeerActivities.ContainsKey(a.Id));
    }
}
