using P2PSync.Node.Handoff;

namespace P2PSync.Simulation.Tests.Handoff;

/// <summary>
/// Handoffs that do not complete: a connection cut mid-transfer (and the retry that moves only
/// what is missing), decline, expiry, and commands that cannot be carried out.
/// </summary>
public sealed class HandoffFailureTests
{
    [Fact]
    public void Connection_cut_mid_transfer_keeps_applied_documents_and_a_retry_sends_only_what_is_missing()
    {
        HandoffSeeds.Run(10, seed =>
        {
            var sim = new HandoffSimulation(seed, 2);
            var (a, b) = (sim.A, sim.B);
            var random = new Random(seed);
            foreach (var id in new[] { "first", "second" })
            {
                a.Documents.Create(id, id.ToUpperInvariant(), sim.NowMs, a.Id);
                // ~200 KB each: several 64 KiB chunks per document.
                var text = new string((char)('a' + random.Next(26)), 150_000 + random.Next(100_000));
                a.Documents.Edit(id, d => d.GetText("text").Insert(0, text));
            }

            HandoffTestActivity.Open(a, "first", "second");
            sim.Connect(a, b);
            sim.DeliverAll();
            var versionBefore = b.Activity.Current.Version;
            sim.Run(b, e => e.Pull(a.Id));
            // Deliver until the first document is applied, then a random number of the second's chunks (not all).
            while (!b.Documents.Has("first"))
            {
                Assert.True(sim.DeliverAll(1) == 1, "the first document never arrived");
            }

            var secondChunks = sim.Queued(a, b);
            Assert.True(secondChunks > 1, $"{secondChunks} chunks of the second document queued");
            for (var i = random.Next(secondChunks - 1); i > 0; i--)
            {
                Assert.True(sim.DeliverOne(a, b));
            }

            var firstTry = b.Engine.Handoffs.Single();
            sim.Disconnect(a, b);

            var failed = b.Engine.Handoffs.Single();
            Assert.Equal(HandoffState.Failed, failed.State);
            Assert.Equal($"connection to {a.Id} lost after 1 of 2 documents", failed.Reason);
            Assert.Equal(HandoffEvent.Failed, b.Events[^1].Kind);
            Assert.Equal(failed.Reason, b.Events[^1].Reason);
            Assert.Equal(HandoffState.Failed, a.Engine.Handoffs.Single().State);
            Assert.Equal($"connection to {b.Id} lost", a.Engine.Handoffs.Single().Reason);
            // Atomic per document: the first is complete, the second was never created half-way.
            Assert.Equal(a.Documents.Text("first"), b.Documents.Text("first"));
            Assert.False(b.Documents.Has("second"));
            Assert.Equal(versionBefore, b.Activity.Current.Version);
            Assert.Null(a.Activity.Current.HandedOffTo);

            var secondSize = a.Documents.EncodeDiff("second", ReadOnlyMemory<byte>.Empty).Length;
            var deliveredBefore = sim.ChunkBytesDelivered[b];
            Assert.True(firstTry.BytesTotal > 2L * 150_000, $"first try total {firstTry.BytesTotal}");

            sim.Connect(a, b);
            sim.DeliverAll();
            sim.Run(b, e => e.Pull(a.Id));
            sim.DeliverAll();

            var retry = b.Engine.Handoffs[^1];
            Assert.Equal(HandoffState.Ready, retry.State);
            var retryBytes = sim.ChunkBytesDelivered[b] - deliveredBefore;
            Assert.Equal(retry.BytesTotal, retryBytes);
            // The first document travels as an empty diff (a few bytes), the second whole.
            Assert.InRange(retryBytes, secondSize, secondSize + 16);
            Assert.Equal(a.Documents.Text("second"), b.Documents.Text("second"));
            Assert.Equal(a.Id.ToString(), b.Activity.Current.ResumedFrom);
            Assert.Equal(b.Id.ToString(), a.Activity.Current.HandedOffTo);
        });
    }

    [Fact]
    public void Repeated_random_cuts_never_leave_a_half_document_and_retries_finish_the_handoff()
    {
        HandoffSeeds.Run(30, seed =>
        {
            var random = new Random(seed);
            var sim = new HandoffSimulation(seed, 2, new HandoffOptions { ChunkBytes = 32 + random.Next(4096) });
            var (a, b) = (sim.A, sim.B);
            var ids = Enumerable.Range(0, 1 + random.Next(4)).Select(i => $"doc{i}").ToArray();
            foreach (var id in ids)
            {
                a.Documents.Create(id, "Doc " + id, sim.NowMs, a.Id);
                for (var edits = 1 + random.Next(20); edits > 0; edits--)
                {
                    a.Documents.Edit(id, d => d.GetText("text").Insert(random.Next(d.GetText("text").Length + 1), new string((char)('a' + random.Next(26)), 1 + random.Next(2000))));
                }
            }

            HandoffTestActivity.Open(a, ids);
            var wholeSize = ids.Sum(id => (long)a.Documents.EncodeDiff(id, ReadOnlyMemory<byte>.Empty).Length);
            var tries = 0;
            while (b.Activity.Current.ResumedFrom is null)
            {
                Assert.True(++tries <= 20, "20 tries did not finish the handoff");
                sim.Connect(a, b);
                sim.DeliverAll();
                sim.Run(b, e => e.Pull(a.Id));
                // The last try runs to the end; the others are cut after a random number of messages.
                var cutAfter = tries < 6 ? random.Next(1, 12) : int.MaxValue;
                sim.DeliverAll(cutAfter);
                sim.Disconnect(a, b);
                foreach (var id in ids.Where(b.Documents.Has))
                {
                    Assert.Equal(a.Documents.Text(id), b.Documents.Text(id));
                }
            }

            Assert.All(ids, id => Assert.Equal(a.Documents.Text(id), b.Documents.Text(id)));
            Assert.Equal(HandoffState.Ready, b.Engine.Handoffs[^1].State);
            // Applied documents never travel again in full: at most the whole set once, plus
            // the partial document of each cut try, plus a few bytes of empty diff per document.
            var largest = ids.Max(id => (long)a.Documents.EncodeDiff(id, ReadOnlyMemory<byte>.Empty).Length);
            Assert.True(sim.ChunkBytesDelivered.GetValueOrDefault(b) <= wholeSize + ((tries - 1) * (largest + (8 * ids.Length))), $"{sim.ChunkBytesDelivered.GetValueOrDefault(b)} bytes over {tries} tries for {wholeSize}");
        });
    }

    [Fact]
    public void Declined_offer_tells_the_sender_why_and_changes_nothing()
    {
        var sim = new HandoffSimulation(11, 2);
        var (a, b) = (sim.A, sim.B);
        a.Documents.Create("notes", "Notes", sim.NowMs, a.Id);
        a.Documents.Edit("notes", d => d.GetText("text").Insert(0, "text"));
        HandoffTestActivity.SetCursor(a, "notes", 2);
        sim.Connect(a, b);
        sim.Run(a, e => e.Offer(b.Id));
        sim.DeliverAll();
        var id = b.Events.Single(e => e.Kind == HandoffEvent.Offered).HandoffId;
        var version = a.Activity.Current.Version;

        sim.Run(b, e => e.Decline(id, "  in a meeting  "));
        sim.DeliverAll();

        Assert.Equal((HandoffState.Declined, "in a meeting"), (a.Handoff(id).State, a.Handoff(id).Reason));
        Assert.Equal((HandoffState.Declined, "in a meeting"), (b.Handoff(id).State, b.Handoff(id).Reason));
        Assert.Equal(HandoffEvent.Declined, a.Events[^1].Kind);
        Assert.Equal("in a meeting", a.Events[^1].Reason);
        Assert.Equal(version, a.Activity.Current.Version);
        Assert.False(b.Documents.Has("notes"));
        Assert.Throws<HandoffException>(() => b.Engine.Accept(id));
        Assert.Throws<HandoffException>(() => b.Engine.Decline(id, "again"));
    }

    [Fact]
    public void Unanswered_offer_expires_on_both_sides()
    {
        var sim = new HandoffSimulation(12, 2);
        var (a, b) = (sim.A, sim.B);
        a.Documents.Create("notes", "Notes", sim.NowMs, a.Id);
        HandoffTestActivity.Open(a, "notes");
        sim.Connect(a, b);
        sim.Run(a, e => e.Offer(b.Id));
        sim.DeliverAll();
        var id = b.Events.Single(e => e.Kind == HandoffEvent.Offered).HandoffId;
        Assert.Equal(sim.Time.GetUtcNow() + TimeSpan.FromSeconds(60), a.Engine.NextWakeUp);

        sim.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(HandoffState.Offered, b.Handoff(id).State);
        sim.Advance(TimeSpan.FromSeconds(1));
        sim.DeliverAll();

        Assert.Equal(HandoffState.Expired, a.Handoff(id).State);
        Assert.Equal(HandoffState.Expired, b.Handoff(id).State);
        Assert.Equal("the offer was not answered within 60 s", b.Handoff(id).Reason);
        Assert.Contains(b.Events, e => e.Kind == HandoffEvent.Expired && e.HandoffId == id);
        Assert.Null(a.Engine.NextWakeUp);
        var ex = Assert.Throws<HandoffException>(() => b.Engine.Accept(id));
        Assert.Contains("not an offer waiting", ex.Message);
    }

    [Fact]
    public void Accepting_just_as_the_sender_expires_the_offer_ends_declined_not_in_a_protocol_error()
    {
        var sim = new HandoffSimulation(13, 2);
        var (a, b) = (sim.A, sim.B);
        a.Documents.Create("notes", "Notes", sim.NowMs, a.Id);
        HandoffTestActivity.Open(a, "notes");
        sim.Connect(a, b);
        sim.Run(a, e => e.Offer(b.Id));
        sim.DeliverAll();
        var id = b.Events.Single(e => e.Kind == HandoffEvent.Offered).HandoffId;

        // A's clock runs out first; B accepts before A's decline reaches it.
        sim.Time.Advance(TimeSpan.FromSeconds(60));
        sim.Run(a, e => e.Poll());
        sim.Run(b, e => e.Accept(id));
        sim.DeliverAll();

        Assert.Equal(HandoffState.Expired, a.Handoff(id).State);
        Assert.Equal(HandoffState.Declined, b.Handoff(id).State);
        Assert.StartsWith("expired", b.Handoff(id).Reason);
        Assert.Null(a.Activity.Current.HandedOffTo);
    }

    [Fact]
    public void Request_without_an_answer_fails_after_the_timeout()
    {
        var sim = new HandoffSimulation(14, 2);
        var (a, b) = (sim.A, sim.B);
        a.Documents.Create("notes", "Notes", sim.NowMs, a.Id);
        HandoffTestActivity.Open(a, "notes");
        sim.Connect(a, b);
        sim.DeliverAll();
        sim.Run(b, e => e.Pull(a.Id));
        // A never answers (its messages are lost in a stuck connection).
        sim.Advance(TimeSpan.FromSeconds(61));

        var info = b.Engine.Handoffs.Single();
        Assert.Equal(HandoffState.Failed, info.State);
        Assert.Equal($"{a.Id} did not answer the request within 60 s", info.Reason);
    }

    [Fact]
    public void Commands_that_cannot_be_carried_out_throw_a_clear_HandoffException_and_send_nothing()
    {
        var sim = new HandoffSimulation(15, 3);
        var (a, b, c) = (sim.A, sim.B, sim.C);
        a.Documents.Create("notes", "Notes", sim.NowMs, a.Id);
        sim.Connect(a, b);
        sim.DeliverAll();

        var noActivity = Assert.Throws<HandoffException>(() => a.Engine.Offer(b.Id));
        Assert.Contains("no activity to offer", noActivity.Message);
        HandoffTestActivity.Open(a, "notes");

        var notConnected = Assert.Throws<HandoffException>(() => a.Engine.Offer(c.Id));
        Assert.Contains($"{c.Id} is not connected", notConnected.Message);
        Assert.Throws<HandoffException>(() => c.Engine.Pull(a.Id));
        Assert.Throws<HandoffException>(() => a.Engine.Offer(a.Id));
        var unknown = Assert.Throws<HandoffException>(() => b.Engine.Accept("no-such-id"));
        Assert.Equal("there is no handoff no-such-id", unknown.Message);
        Assert.Throws<HandoffException>(() => b.Engine.Decline("no-such-id", "x"));
        // B knows A's activity only as it was announced on connect: nothing open then.
        var nothingOpen = Assert.Throws<HandoffException>(() => b.Engine.Pull(a.Id));
        Assert.Contains("no open document", nothingOpen.Message);
        Assert.Throws<HandoffException>(() => a.Engine.Pull(b.Id));

        Assert.Equal(0, sim.Queued(a, b) + sim.Queued(b, a));
        Assert.Empty(a.Engine.Handoffs);
        Assert.Empty(b.Engine.Handoffs);
    }

    [Fact]
    public void Pull_from_a_device_with_nothing_open_any_more_is_declined()
    {
        var sim = new HandoffSimulation(16, 2);
        var (a, b) = (sim.A, sim.B);
        a.Documents.Create("notes", "Notes", sim.NowMs, a.Id);
        HandoffTestActivity.Open(a, "notes");
        sim.Connect(a, b);
        sim.DeliverAll();
        sim.Run(b, e => e.Pull(a.Id));
        // A closes everything before the request arrives (and its Presence is still queued).
        a.Activity.Set([], null);
        sim.DeliverAll();

        var info = b.Engine.Handoffs.Single();
        Assert.Equal(HandoffState.Declined, info.State);
        Assert.Equal("nothing to hand off: no document is open", info.Reason);
        Assert.False(b.Documents.Has("notes"));
    }
}
