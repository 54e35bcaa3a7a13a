using Google.Protobuf;
using P2PSync.Node.Handoff;
using P2PSync.Node.Transport.InMemory;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Tests.Handoff;

/// <summary>
/// Engine rules one message at a time (the multi-node scenarios are in
/// P2PSync.Simulation.Tests/Handoff): limits, bounded state, id handling, odd answers.
/// </summary>
public sealed class HandoffEngineTests
{
    private static readonly DeviceId Local = DeviceId.FromPublicKey(Enumerable.Repeat((byte)1, 32).ToArray());
    private static readonly DeviceId Peer = DeviceId.FromPublicKey(Enumerable.Repeat((byte)2, 32).ToArray());

    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly DocsForHandoff _docs = new();
    private readonly ActivityStore _activity;
    private int _ids;

    public HandoffEngineTests()
    {
        _activity = new ActivityStore(_time);
    }

    [Fact]
    public void Options_and_arguments_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Engine(new HandoffOptions { ChunkBytes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Engine(new HandoffOptions { ChunkBytes = (1024 * 1024) + 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Engine(new HandoffOptions { OfferTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Engine(new HandoffOptions { MaxTransferBytes = (256L * 1024 * 1024) + 1 }));
        Assert.Throws<ArgumentException>(() => new HandoffEngine(default, _docs, _activity, _time, () => "x", new HandoffOptions()));
        var engine = Engine();
        Assert.Throws<InvalidOperationException>(() => engine.OnEnvelope(Peer, Presence(1)));
    }

    [Fact]
    public void Connect_sends_our_presence_and_disconnect_forgets_the_peers()
    {
        _docs.Add("notes", "hello");
        _activity.Set([new ActivityDocument("notes", null, null, null)], null);
        var engine = Engine();

        var output = engine.OnConnected(Peer);
        var (to, envelope) = Assert.Single(output.Send);
        Assert.Equal(Peer, to);
        Assert.Equal("Doc notes", Assert.Single(envelope.Presence.Documents).Name);
        engine.OnEnvelope(Peer, Presence(5));
        engine.OnEnvelope(Peer, Presence(3));
        Assert.Equal(5UL, engine.PeerActivities[Peer].Version);
        engine.OnDisconnected(Peer);
        Assert.Empty(engine.PeerActivities);
    }

    [Fact]
    public void A_peer_cannot_hold_more_than_16_open_handoffs_or_reuse_an_id()
    {
        var engine = Engine();
        engine.OnConnected(Peer);
        for (var i = 0; i < 16; i++)
        {
            Assert.Equal(HandoffEvent.Offered, Assert.Single(engine.OnEnvelope(Peer, Offer($"o{i}")).Events).Kind);
        }

        var busy = engine.OnEnvelope(Peer, Offer("o16"));
        Assert.Empty(busy.Events);
        Assert.StartsWith("busy", Assert.Single(busy.Send).Envelope.HandoffDecline.Reason);
        Assert.Equal(16, engine.Handoffs.Count);
        Assert.Throws<HandoffProtocolException>(() => engine.OnEnvelope(Peer, Offer("o3")));
    }

    [Fact]
    public void Finished_handoffs_are_forgotten_beyond_the_history_limit()
    {
        var engine = Engine(new HandoffOptions { FinishedHistory = 2 });
        engine.OnConnected(Peer);
        for (var i = 0; i < 5; i++)
        {
            engine.OnEnvelope(Peer, Offer($"o{i}"));
            engine.OnEnvelope(Peer, new Envelope { HandoffDecline = new HandoffDecline { HandoffId = $"o{i}", Reason = "withdrawn" } });
        }

        Assert.Equal(["o3", "o4"], engine.Handoffs.Select(h => h.Id));
        Assert.All(engine.Handoffs, h => Assert.Equal((HandoffState.Declined, "withdrawn"), (h.State, h.Reason)));
    }

    [Fact]
    public void Id_generator_must_make_valid_ids_and_repeats_are_retried()
    {
        _docs.Add("notes", "x");
        _activity.Set([new ActivityDocument("notes", null, null, null)], null);
        var bad = new HandoffEngine(Local, _docs, _activity, _time, () => "not valid/", new HandoffOptions());
        bad.OnConnected(Peer);
        Assert.Throws<InvalidOperationException>(() => bad.Offer(Peer));

        var ids = new Queue<string>(["same", "same", "other"]);
        var repeating = new HandoffEngine(Local, _docs, _activity, _time, ids.Dequeue, new HandoffOptions());
        repeating.OnConnected(Peer);
        repeating.Offer(Peer);
        repeating.Offer(Peer);
        Assert.Equal(["same", "other"], repeating.Handoffs.Select(h => h.Id));
    }

    [Fact]
    public void Transfers_over_the_limit_are_declined_by_sender_and_receiver()
    {
        _docs.Add("notes", new string('x', 5000));
        _activity.Set([new ActivityDocument("notes", null, null, null)], null);
        var sender = Engine(new HandoffOptions { MaxTransferBytes = 1000 });
        sender.OnConnected(Peer);
        var answer = sender.OnEnvelope(Peer, new Envelope { HandoffRequest = new HandoffRequest { HandoffId = "p1" } });
        Assert.StartsWith("the documents are", Assert.Single(answer.Send).Envelope.HandoffDecline.Reason);
        Assert.Equal(HandoffState.Failed, Assert.Single(sender.Handoffs).State);

        var receiver = Engine(new HandoffOptions { MaxTransferBytes = 1000 });
        receiver.OnConnected(Peer);
        receiver.OnEnvelope(Peer, Presence(1, "notes"));
        var id = receiver.Pull(Peer).Events[0].HandoffId;
        var begin = new HandoffBegin { HandoffId = id, ActivityJson = ByteString.CopyFrom(ActivityJson.Serialize(_activity.Current)) };
        begin.Documents.Add(new HandoffDocument { Record = new DocAnnounce { DocId = "big", Name = "Big" }, UpdateBytes = 1001 });
        var refused = receiver.OnEnvelope(Peer, new Envelope { HandoffBegin = begin });
        Assert.NotNull(Assert.Single(refused.Send).Envelope.HandoffDecline);
        Assert.Equal(HandoffEvent.Failed, Assert.Single(refused.Events).Kind);
        // Chunks already on their way for the refused handoff are dropped quietly.
        Assert.Same(HandoffOutput.None, receiver.OnEnvelope(Peer, new Envelope { HandoffChunk = new HandoffChunk { HandoffId = id, DocId = "big", Data = ByteString.CopyFrom(1) } }));
    }

    [Fact]
    public void A_second_begin_and_a_result_before_any_transfer_are_protocol_errors()
    {
        _docs.Add("notes", "abc");
        _activity.Set([new ActivityDocument("notes", null, null, null)], null);
        var receiver = Engine();
        receiver.OnConnected(Peer);
        receiver.OnEnvelope(Peer, Presence(1, "notes", "other"));
        var id = receiver.Pull(Peer).Events[0].HandoffId;
        var begin = new HandoffBegin { HandoffId = id, ActivityJson = ByteString.CopyFrom(ActivityJson.Serialize(_activity.Current)) };
        begin.Documents.Add(new HandoffDocument { Record = new DocAnnounce { DocId = "notes", Name = "N" }, UpdateBytes = 10 });
        receiver.OnEnvelope(Peer, new Envelope { HandoffBegin = begin });
        Assert.Throws<HandoffProtocolException>(() => receiver.OnEnvelope(Peer, new Envelope { HandoffBegin = begin }));
        Assert.Equal(HandoffState.Failed, Assert.Single(receiver.Handoffs).State);

        var sender = Engine();
        sender.OnConnected(Peer);
        var offer = sender.Offer(Peer).Send[0].Envelope.HandoffOffer;
        Assert.Throws<HandoffProtocolException>(() => sender.OnEnvelope(Peer, new Envelope { HandoffResult = new HandoffResult { HandoffId = offer.HandoffId, Ready = true } }));
        Assert.Null(_activity.Current.HandedOffTo);
    }

    [Fact]
    public void A_receiver_that_could_not_resume_fails_the_handoff_with_its_reason()
    {
        _docs.Add("notes", "abc");
        _activity.Set([new ActivityDocument("notes", null, null, null)], null);
        var sender = Engine();
        sender.OnConnected(Peer);
        sender.OnEnvelope(Peer, new Envelope { HandoffRequest = new HandoffRequest { HandoffId = "p1" } });

        var output = sender.OnEnvelope(Peer, new Envelope { HandoffResult = new HandoffResult { HandoffId = "p1", Ready = false, Reason = "disk full" } });

        Assert.Equal((HandoffEvent.Failed, "disk full"), (Assert.Single(output.Events).Kind, output.Events[0].Reason));
        Assert.Null(_activity.Current.HandedOffTo);
    }

    [Fact]
    public void Decline_reasons_are_trimmed_to_the_wire_limit()
    {
        var engine = Engine();
        engine.OnConnected(Peer);
        engine.OnEnvelope(Peer, Offer("o1"));
        var output = engine.Decline("o1", new string('r', 499) + "😀 and more");
        var reason = Assert.Single(output.Send).Envelope.HandoffDecline.Reason;
        Assert.Equal(499, reason.Length);
        EnvelopeCodec.Decode(EnvelopeCodec.Encode(output.Send[0].Envelope));

        engine.OnEnvelope(Peer, Offer("o2"));
        Assert.Equal("declined", engine.Decline("o2", "  ").Events[0].Reason);
    }

    private HandoffEngine Engine(HandoffOptions? options = null) =>
        new(Local, _docs, _activity, _time, () => $"id{++_ids}", options ?? new HandoffOptions());

    private static Envelope Presence(ulong version, params string[] docs)
    {
        var presence = new Presence { Version = version };
        presence.Documents.AddRange(docs.Select(d => new ActivityDocumentSummary { DocId = d }));
        return new Envelope { Presence = presence };
    }

    private static Envelope Offer(string id)
    {
        var presence = new Presence { Version = 1 };
        presence.Documents.Add(new ActivityDocumentSummary { DocId = "remote" });
        return new Envelope { HandoffOffer = new HandoffOffer { HandoffId = id, Activity = presence, ExpiresMs = 1 } };
    }
}
