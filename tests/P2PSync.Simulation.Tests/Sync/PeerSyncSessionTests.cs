using Google.Protobuf;
using P2PSync.Crdt;
using P2PSync.Node.Sync;
using P2PSync.Protocol.Wire;
using P2PSync.Protocol.YProtocols;
using P2PSync.Simulation.Tests.Support;

namespace P2PSync.Simulation.Tests.Sync;

public sealed class PeerSyncSessionTests
{
    [Fact]
    public void Connect_sends_hello_then_announce_and_step1_for_every_document()
    {
        var a = new MemoryDocumentSource(new Random(1));
        var d1 = a.Create("one", 1000, SessionPair.NewDevice(new Random(5)));
        var d2 = a.Create("two", 1001, SessionPair.NewDevice(new Random(5)));
        var session = new PeerSyncSession(a, SessionPair.NewDevice(new Random(6)), "laptop");

        var opening = session.OnConnected();

        Assert.Equal(5, opening.Count);
        Assert.Equal("laptop", opening[0].Hello.DeviceName);
        Assert.Equal(SyncProtocolVersion.Current, opening[0].Hello.ProtocolVersion);
        Assert.Equal(d1.Id, opening[1].Doc.DocId);
        Assert.Equal("one", opening[1].Doc.Name);
        Assert.Equal(SyncMessageType.SyncStep1, SyncMessage.Decode(opening[2].Sync.Payload.Span).Type);
        Assert.Equal(d2.Id, opening[3].Doc.DocId);
        Assert.Equal(d2.Id, opening[4].Sync.DocId);
    }

    [Fact]
    public void A_fresh_device_is_caught_up_only_after_the_whole_opening_and_every_step2()
    {
        var a = new MemoryDocumentSource(new Random(1));
        var device = SessionPair.NewDevice(new Random(5));
        var docs = Enumerable.Range(0, 3).Select(i => a.Create($"doc {i}", 100 + i, device)).ToList();
        foreach (var doc in docs)
        {
            a.Edit(doc.Id, d => d.GetText("text").Insert(0, doc.Name));
        }

        var fresh = new MemoryDocumentSource(new Random(2));
        var sessionA = new PeerSyncSession(a, SessionPair.NewDevice(new Random(6)), "A");
        var sessionB = new PeerSyncSession(fresh, device, "B");
        var opening = sessionA.OnConnected();
        foreach (var envelope in sessionB.OnConnected())
        {
            Assert.Empty(sessionA.OnEnvelope(envelope).Replies);
        }

        Assert.Equal(3u, opening[0].Hello.OpeningDocuments);
        Assert.False(sessionB.IsCaughtUp);

        // Feed A's opening to B one envelope at a time, answering B's SyncStep1s from A as we go.
        var answers = new List<Envelope>();
        foreach (var envelope in opening)
        {
            Assert.False(sessionB.IsCaughtUp);
            foreach (var reply in sessionB.OnEnvelope(envelope).Replies.Where(r => r.BodyCase == Envelope.BodyOneofCase.Sync))
            {
                answers.AddRange(sessionA.OnEnvelope(reply).Replies);
            }
        }

        // Every document is announced, but no SyncStep2 has arrived yet.
        Assert.False(sessionB.IsCaughtUp);
        for (var i = 0; i < answers.Count; i++)
        {
            Assert.False(sessionB.IsCaughtUp);
            sessionB.OnEnvelope(answers[i]);
        }

        Assert.True(sessionB.IsCaughtUp);
        Assert.All(docs, doc => Assert.Equal(doc.Name, fresh.Doc(doc.Id).GetText("text").ToString()));
    }

    [Fact]
    public void Documents_and_content_flow_both_ways_on_connect()
    {
        var pair = NewPair();
        var device = pair.DeviceA;
        var onA = pair.SourceA.Create("from A", 10, device);
        pair.SourceA.Edit(onA.Id, d => d.GetText("text").Insert(0, "alpha"));
        var onB = pair.SourceB.Create("from B", 20, pair.DeviceB);
        pair.SourceB.Edit(onB.Id, d => d.GetMap("map").Set("k", "v"));

        pair.Connect();

        Assert.Equal("from B", pair.SourceA.FindDocument(onB.Id)!.Name);
        Assert.Equal("from A", pair.SourceB.FindDocument(onA.Id)!.Name);
        Assert.Equal("alpha", pair.SourceB.Doc(onA.Id).GetText("text").ToString());
        Assert.Equal("v", pair.SourceA.Doc(onB.Id).GetMap("map").Get("k"));
        Assert.True(pair.A.IsSynced(onA.Id));
        Assert.True(pair.B.IsSynced(onB.Id));
        Assert.Equal("B", pair.A.RemoteDeviceName);
    }

    [Fact]
    public void Live_updates_and_new_documents_reach_the_peer()
    {
        var pair = NewPair();
        pair.Connect();
        var created = pair.SourceA.Create("later", 50, pair.DeviceA);
        pair.FromA(pair.A.OnDocumentChanged(created));
        var update = pair.SourceA.Edit(created.Id, d => d.GetText("text").Insert(0, "live"))!;
        pair.FromA(pair.A.OnLocalUpdate(created.Id, update));

        Assert.Equal("live", pair.SourceB.Doc(created.Id).GetText("text").ToString());
    }

    [Fact]
    public void Reconnect_sends_only_what_the_other_side_lacks()
    {
        var a = new MemoryDocumentSource(new Random(1));
        var b = new MemoryDocumentSource(new Random(2));
        var first = new SessionPair(a, b);
        var doc = a.Create("doc", 1, first.DeviceA);
        a.Edit(doc.Id, d => d.GetText("text").Insert(0, new string('x', 5000)));
        first.Connect();
        var svBefore = Y.DecodeStateVector(b.EncodeStateVector(doc.Id));

        // Offline edit on A only, then a new connection.
        a.Edit(doc.Id, d => d.GetText("text").Insert(0, "new"));
        var second = new SessionPair(a, b, seed: 3);
        second.Connect();

        var step2FromA = SyncPayloads(second.SentByA, SyncMessageType.SyncStep2).Single();
        var step2FromB = SyncPayloads(second.SentByB, SyncMessageType.SyncStep2).Single();
        Assert.Empty(Y.ParseUpdateMeta(step2FromB).To);
        var meta = Y.ParseUpdateMeta(step2FromA);
        var client = Assert.Single(meta.From).Key;
        Assert.Equal(svBefore[client], meta.From[client]);
        Assert.Equal(svBefore[client] + 3, meta.To[client]);
        Assert.True(step2FromA.Length < 100, $"step2 was {step2FromA.Length} bytes");
        Assert.Equal(a.Doc(doc.Id).GetText("text").ToString(), b.Doc(doc.Id).GetText("text").ToString());
    }

    [Fact]
    public void Rename_newer_stamp_wins_on_both_sides_and_ties_go_to_the_larger_device()
    {
        var pair = NewPair();
        var doc = pair.SourceA.Create("original", 100, pair.DeviceA);
        pair.Connect();

        // Concurrent renames while disconnected: B's is later, so it wins everywhere.
        pair.SourceA.Rename(doc.Id, "by A", 200, pair.DeviceA);
        pair.SourceB.Rename(doc.Id, "by B", 300, pair.DeviceB);
        var again = new SessionPair(pair.SourceA, pair.SourceB, seed: 9);
        again.Connect();
        Assert.Equal("by B", pair.SourceA.FindDocument(doc.Id)!.Name);
        Assert.Equal("by B", pair.SourceB.FindDocument(doc.Id)!.Name);

        // Same millisecond: the ordinally larger device id text wins.
        pair.SourceA.RenameDocument(doc.Id, "tie A", new NameStamp(400, "AAAA"));
        pair.SourceB.RenameDocument(doc.Id, "tie Z", new NameStamp(400, "ZZZZ"));
        new SessionPair(pair.SourceA, pair.SourceB, seed: 10).Connect();
        Assert.Equal("tie Z", pair.SourceA.FindDocument(doc.Id)!.Name);
        Assert.Equal("tie Z", pair.SourceB.FindDocument(doc.Id)!.Name);

        // Same millisecond and no device recorded: the larger name wins on both sides.
        pair.SourceA.RenameDocument(doc.Id, "beta", new NameStamp(500, ""));
        pair.SourceB.RenameDocument(doc.Id, "alpha", new NameStamp(500, ""));
        new SessionPair(pair.SourceA, pair.SourceB, seed: 11).Connect();
        Assert.Equal("beta", pair.SourceA.FindDocument(doc.Id)!.Name);
        Assert.Equal("beta", pair.SourceB.FindDocument(doc.Id)!.Name);
    }

    [Fact]
    public void Hybrid_clock_keeps_a_later_rename_ahead_of_a_fast_clock()
    {
        var device = SessionPair.NewDevice(new Random(3));
        var seen = new NameStamp(5_000, "ZZZZ");
        var next = NameStamp.Next(seen, nowMs: 1_000, device);
        Assert.Equal(5_001, next.ChangedMs);
        Assert.True(next.IsNewerThan(seen));
        Assert.Equal(9_000, NameStamp.Next(seen, nowMs: 9_000, device).ChangedMs);
    }

    [Fact]
    public void Envelope_before_hello_is_a_protocol_error()
    {
        var session = Connected(out _);
        var ex = Assert.Throws<SyncProtocolException>(() => session.OnEnvelope(new Envelope { Ping = new Ping { Nonce = 1 } }));
        Assert.Contains("before Hello", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Second_hello_and_old_versions_are_protocol_errors()
    {
        var session = Connected(out _);
        Assert.Throws<SyncProtocolException>(() => session.OnEnvelope(Hello(0)));
        session.OnEnvelope(Hello(1));
        Assert.Throws<SyncProtocolException>(() => session.OnEnvelope(Hello(1)));
    }

    [Fact]
    public void Ping_is_answered_with_the_same_nonce()
    {
        var session = Connected(out _);
        session.OnEnvelope(Hello(1));
        var reply = Assert.Single(session.OnEnvelope(new Envelope { Ping = new Ping { Nonce = 77 } }).Replies);
        Assert.Equal(77UL, reply.Pong.Nonce);
    }

    [Fact]
    public void Envelope_bodies_from_a_newer_protocol_are_ignored()
    {
        var session = Connected(out _);
        session.OnEnvelope(Hello(2));
        // Field 9 (varint 1): a body this version does not know; protobuf keeps it as an unknown field.
        var future = EnvelopeCodec.Decode(Convert.FromHexString("4801"));
        Assert.Equal(Envelope.BodyOneofCase.None, future.BodyCase);
        var output = session.OnEnvelope(future);
        Assert.Empty(output.Replies);
        Assert.Equal(2U, session.RemoteProtocolVersion);
    }

    [Fact]
    public void Sync_frame_for_an_unannounced_document_is_a_protocol_error()
    {
        var session = Connected(out _);
        session.OnEnvelope(Hello(1));
        var ex = Assert.Throws<SyncProtocolException>(() => session.OnEnvelope(SyncFrame("nope", SyncMessage.Step1([0]))));
        Assert.Contains("never announced", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_announce_is_a_protocol_error_and_creates_nothing()
    {
        var session = Connected(out var source);
        session.OnEnvelope(Hello(1));
        Assert.Throws<SyncProtocolException>(() => session.OnEnvelope(new Envelope { Doc = new DocAnnounce { DocId = "../x", Name = "n" } }));
        Assert.Empty(source.ListDocuments());
    }

    [Fact]
    public void Seeded_corrupt_updates_raise_protocol_errors_and_leave_the_document_intact()
    {
        const int seed = 99;
        var random = new Random(seed);
        var session = Connected(out var source);
        session.OnEnvelope(Hello(1));
        var author = new MemoryDocumentSource(new Random(4));
        var authored = author.Create("doc", 1, SessionPair.NewDevice(random));
        session.OnEnvelope(new Envelope { Doc = new DocAnnounce { DocId = authored.Id, Name = "doc", CreatedMs = 1 } });
        var updates = new List<byte[]>();
        for (var i = 0; i < 20; i++)
        {
            updates.Add(author.Edit(authored.Id, d => d.GetText("text").Insert(d.GetText("text").Length, $"w{i} "))!);
        }

        session.OnEnvelope(SyncFrame(authored.Id, SyncMessage.Update(updates[0])));
        var rejected = 0;
        for (var i = 0; i < 1000; i++)
        {
            var before = Y.EncodeStateAsUpdate(source.Doc(authored.Id));
            var mutated = Mutate(updates[random.Next(updates.Count)], random);
            var type = random.Next(2) == 0 ? SyncMessageType.Update : SyncMessageType.SyncStep2;
            var message = type == SyncMessageType.Update ? SyncMessage.Update(mutated) : SyncMessage.Step2(mutated);
            try
            {
                session.OnEnvelope(SyncFrame(authored.Id, message));
            }
            catch (SyncProtocolException ex)
            {
                rejected++;
                Assert.IsType<UpdateFormatException>(ex.InnerException);
                Assert.Equal(before, Y.EncodeStateAsUpdate(source.Doc(authored.Id)));
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed} iteration {i}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.True(rejected > 50, $"only {rejected} of 1000 corrupt updates were rejected");
        var bad = SyncFrame(authored.Id, SyncMessage.Step1([0xFF]));
        Assert.Throws<SyncProtocolException>(() => session.OnEnvelope(bad));
    }

    private static SessionPair NewPair() =>
        new(new MemoryDocumentSource(new Random(1)), new MemoryDocumentSource(new Random(2)));

    private static PeerSyncSession Connected(out MemoryDocumentSource source)
    {
        source = new MemoryDocumentSource(new Random(1));
        var session = new PeerSyncSession(source, SessionPair.NewDevice(new Random(2)), "me");
        session.OnConnected();
        return session;
    }

    private static Envelope Hello(uint version) => new() { Hello = new Hello { DeviceName = "peer", ProtocolVersion = version } };

    private static Envelope SyncFrame(string docId, SyncMessage message) =>
        new() { Sync = new SyncFrame { DocId = docId, Payload = ByteString.CopyFrom(message.Encode()) } };

    private static List<byte[]> SyncPayloads(IEnumerable<Envelope> envelopes, SyncMessageType type) =>
        envelopes.Where(e => e.BodyCase == Envelope.BodyOneofCase.Sync)
            .Select(e => SyncMessage.Decode(e.Sync.Payload.Span))
            .Where(m => m.Type == type)
            .Select(m => m.Payload)
            .ToList();

    private static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = input.ToList();
        for (var e = random.Next(1, 3); e > 0; e--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(3))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
            }
        }

        return [.. bytes];
    }
}
