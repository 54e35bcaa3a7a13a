using Google.Protobuf;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Sync;
using P2PSync.Protocol.Wire;
using P2PSync.Simulation.Tests.Support;

namespace P2PSync.Simulation.Tests.Sync;

/// <summary>One connection's protocol (docs/protocol/spaces-sync.md), two devices back to back.</summary>
public sealed class PeerSyncSessionTests : IDisposable
{
    private readonly SpaceWorld _world = new(7, "ann", "bob", "cat");
    private readonly SpaceId _shared;

    public PeerSyncSessionTests()
    {
        _shared = _world.NewSpace(Ann, "shared", (Bob, SpaceRole.Owner));
    }

    private SimDevice Ann => _world[0];

    private SimDevice Bob => _world[1];

    private SimDevice Cat => _world[2];

    public void Dispose() => _world.Dispose();

    [Fact]
    public void Connect_sends_hello_then_shared_spaces_then_announce_and_vector_for_every_visible_document()
    {
        var d1 = Ann.Source.Create("one", 1000, _shared);
        var own = _world.NewSpace(Ann, "ann only");
        Ann.Source.Create("private", 1001, own);
        var d2 = Ann.Source.Create("two", 1002, _shared);
        var session = new PeerSyncSession(Ann.Source, Ann.Spaces, Bob.Id, "laptop");

        var opening = session.OnConnected();

        Assert.Equal(6, opening.Count);
        Assert.Equal("laptop", opening[0].Hello.DeviceName);
        Assert.Equal(2u, opening[0].Hello.ProtocolVersion);
        Assert.Equal(2u, opening[0].Hello.OpeningDocuments);
        Assert.Equal(_shared.Bytes.ToArray(), opening[1].Space.SpaceId.ToByteArray());
        Assert.NotEmpty(opening[1].Space.Keys);
        Assert.Equal(d1.Id, opening[2].Doc.DocId);
        Assert.Equal(_shared.Bytes.ToArray(), opening[2].Doc.SpaceId.ToByteArray());
        Assert.Equal(d1.Id, opening[3].RecordVector.DocId);
        Assert.Equal(d2.Id, opening[4].Doc.DocId);
        Assert.Equal(d2.Id, opening[5].RecordVector.DocId);
    }

    [Fact]
    public void A_fresh_device_is_caught_up_only_after_the_whole_opening_and_every_catch_up()
    {
        var docs = Enumerable.Range(0, 3).Select(i => Ann.Source.Create($"doc {i}", 100 + i, _shared)).ToList();
        foreach (var doc in docs)
        {
            Ann.Source.Edit(doc.Id, d => d.GetText("text").Insert(0, doc.Name));
        }

        var sessionA = new PeerSyncSession(Ann.Source, Ann.Spaces, Bob.Id, "A");
        var sessionB = new PeerSyncSession(Bob.Source, Bob.Spaces, Ann.Id, "B");
        var opening = sessionA.OnConnected();
        var fromB = sessionB.OnConnected();
        foreach (var envelope in fromB)
        {
            sessionA.OnEnvelope(envelope);
        }

        Assert.False(sessionB.IsCaughtUp);

        // Feed A's opening to B one envelope at a time, answering B's vectors from A as we go.
        var answers = new List<Envelope>();
        foreach (var envelope in opening)
        {
            Assert.False(sessionB.IsCaughtUp);
            foreach (var reply in sessionB.OnEnvelope(envelope).Replies.Where(r => r.BodyCase == Envelope.BodyOneofCase.RecordVector))
            {
                answers.AddRange(sessionA.OnEnvelope(reply).Replies);
            }
        }

        // Every document is announced, but no catch-up has arrived yet.
        Assert.Equal(3, answers.Count);
        Assert.All(answers, a => Assert.True(a.Records.CatchUp));
        for (var i = 0; i < answers.Count; i++)
        {
            Assert.False(sessionB.IsCaughtUp);
            sessionB.OnEnvelope(answers[i]);
        }

        Assert.True(sessionB.IsCaughtUp);
        Assert.All(docs, doc => Assert.Equal(doc.Name, Bob.Source.Doc(doc.Id).GetText("text").ToString()));
    }

    [Fact]
    public void An_empty_document_is_synced_without_any_records_travelling()
    {
        var doc = Ann.Source.Create("empty", 5, _shared);
        var pair = new SessionPair(Ann, Bob);
        pair.Connect();

        Assert.True(pair.A.IsCaughtUp);
        Assert.True(pair.B.IsCaughtUp);
        Assert.True(pair.B.IsSynced(doc.Id));
        Assert.DoesNotContain(pair.SentByA.Concat(pair.SentByB), e => e.BodyCase == Envelope.BodyOneofCase.Records);
    }

    [Fact]
    public void Documents_and_records_flow_both_ways_on_connect()
    {
        var onA = Ann.Source.Create("from A", 10, _shared);
        Ann.Source.Edit(onA.Id, d => d.GetText("text").Insert(0, "alpha"));
        var onB = Bob.Source.Create("from B", 20, _shared);
        Bob.Source.Edit(onB.Id, d => d.GetMap("map").Set("k", "v"));
        var pair = new SessionPair(Ann, Bob);

        pair.Connect();

        Assert.Equal("from B", Ann.Source.FindDocument(onB.Id)!.Name);
        Assert.Equal(_shared, Ann.Source.FindDocument(onB.Id)!.Space);
        Assert.Equal("from A", Bob.Source.FindDocument(onA.Id)!.Name);
        Assert.Equal("alpha", Bob.Source.Doc(onA.Id).GetText("text").ToString());
        Assert.Equal("v", Ann.Source.Doc(onB.Id).GetMap("map").Get("k"));
        Assert.True(pair.A.IsSynced(onB.Id));
        Assert.True(pair.B.IsSynced(onA.Id));
        Assert.Equal("bob", pair.A.RemoteDeviceName);
        Assert.Empty(pair.Refusals);
    }

    [Fact]
    public void Live_records_and_new_documents_reach_the_peer()
    {
        var pair = new SessionPair(Ann, Bob);
        pair.Connect();
        var created = Ann.Source.Create("later", 50, _shared);
        pair.FromA(pair.A.OnDocumentChanged(created));
        var record = Ann.Source.Edit(created.Id, d => d.GetText("text").Insert(0, "live"))!;
        var live = pair.A.OnLocalRecords(created.Id, [record]);
        Assert.False(Assert.Single(live).Records.CatchUp);
        pair.FromA(live);

        Assert.Equal("live", Bob.Source.Doc(created.Id).GetText("text").ToString());
        Assert.Equal(1ul, Bob.Source.RecordVector(created.Id).SeqOf(Ann.Id));
    }

    [Fact]
    public void Reconnect_sends_only_the_records_the_other_side_lacks()
    {
        var doc = Ann.Source.Create("doc", 1, _shared);
        for (var i = 0; i < 5; i++)
        {
            Ann.Source.Edit(doc.Id, d => d.GetText("text").Insert(0, new string('x', 1000)));
        }

        new SessionPair(Ann, Bob).Connect();

        // Offline edit on A only, then a new connection.
        Ann.Source.Edit(doc.Id, d => d.GetText("text").Insert(0, "new"));
        var second = new SessionPair(Ann, Bob);
        second.Connect();

        var fromA = Assert.Single(second.SentByA, e => e.BodyCase == Envelope.BodyOneofCase.Records);
        var record = SignedRecordCodec.Decode(Assert.Single(fromA.Records.Records_).Memory);
        Assert.Equal(6ul, record.Seq);
        Assert.DoesNotContain(second.SentByB, e => e.BodyCase == Envelope.BodyOneofCase.Records);
        Assert.Equal(Ann.Source.Doc(doc.Id).GetText("text").ToString(), Bob.Source.Doc(doc.Id).GetText("text").ToString());
    }

    [Fact]
    public void A_large_catch_up_is_split_and_only_its_last_message_says_catch_up()
    {
        var doc = Ann.Source.Create("big", 1, _shared);
        for (var i = 0; i < 3; i++)
        {
            Ann.Source.Edit(doc.Id, d => d.GetText("text").Insert(0, new string((char)('a' + i), 3 * 1024 * 1024)));
        }

        var pair = new SessionPair(Ann, Bob);
        pair.Connect();

        var records = pair.SentByA.Where(e => e.BodyCase == Envelope.BodyOneofCase.Records).ToList();
        Assert.Equal(2, records.Count);
        Assert.False(records[0].Records.CatchUp);
        Assert.True(records[1].Records.CatchUp);
        Assert.All(records, r => Assert.True(r.CalculateSize() < PeerSyncSession.MaxRecordsMessageBytes + 4096));
        Assert.True(pair.B.IsSynced(doc.Id));
        Assert.Equal(3ul, Bob.Source.RecordVector(doc.Id).SeqOf(Ann.Id));
    }

    [Fact]
    public void Rename_newer_stamp_wins_on_both_sides_and_ties_go_to_the_larger_device()
    {
        var doc = Ann.Source.Create("original", 100, _shared);
        new SessionPair(Ann, Bob).Connect();

        // Concurrent renames while disconnected: B's is later, so it wins everywhere.
        Ann.Source.Rename(doc.Id, "by A", 200);
        Bob.Source.Rename(doc.Id, "by B", 300);
        new SessionPair(Ann, Bob).Connect();
        Assert.Equal("by B", Ann.Source.FindDocument(doc.Id)!.Name);
        Assert.Equal("by B", Bob.Source.FindDocument(doc.Id)!.Name);

        // Same millisecond: the ordinally larger device id text wins.
        Ann.Source.RenameDocument(doc.Id, "tie A", new NameStamp(400, "AAAA"));
        Bob.Source.RenameDocument(doc.Id, "tie Z", new NameStamp(400, "ZZZZ"));
        new SessionPair(Ann, Bob).Connect();
        Assert.Equal("tie Z", Ann.Source.FindDocument(doc.Id)!.Name);
        Assert.Equal("tie Z", Bob.Source.FindDocument(doc.Id)!.Name);

        // Same millisecond and no device recorded: the larger name wins on both sides.
        Ann.Source.RenameDocument(doc.Id, "beta", new NameStamp(500, ""));
        Bob.Source.RenameDocument(doc.Id, "alpha", new NameStamp(500, ""));
        new SessionPair(Ann, Bob).Connect();
        Assert.Equal("beta", Ann.Source.FindDocument(doc.Id)!.Name);
        Assert.Equal("beta", Bob.Source.FindDocument(doc.Id)!.Name);
    }

    [Fact]
    public void Hybrid_clock_keeps_a_later_rename_ahead_of_a_fast_clock()
    {
        var seen = new NameStamp(5_000, "ZZZZ");
        var next = NameStamp.Next(seen, nowMs: 1_000, Ann.Id);
        Assert.Equal(5_001, next.ChangedMs);
        Assert.True(next.IsNewerThan(seen));
        Assert.Equal(9_000, NameStamp.Next(seen, nowMs: 9_000, Ann.Id).ChangedMs);
    }

    [Fact]
    public void Envelope_before_hello_is_a_protocol_error()
    {
        var session = Connected();
        var ex = Assert.Throws<SyncProtocolException>(() => session.OnEnvelope(new Envelope { Ping = new Ping { Nonce = 1 } }));
        Assert.Contains("before Hello", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_1_peers_are_refused_with_a_clear_message_and_a_second_hello_is_an_error()
    {
        var session = Connected();
        var ex = Assert.Throws<SyncProtocolException>(() => session.OnEnvelope(Hello(1)));
        Assert.Contains("version 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("needs 2 or newer", ex.Message, StringComparison.Ordinal);
        Assert.Throws<SyncProtocolException>(() => session.OnEnvelope(Hello(0)));
        session.OnEnvelope(Hello(2));
        Assert.Throws<SyncProtocolException>(() => session.OnEnvelope(Hello(2)));
    }

    [Fact]
    public void Ping_is_answered_with_the_same_nonce()
    {
        var session = Connected();
        session.OnEnvelope(Hello(2));
        var reply = Assert.Single(session.OnEnvelope(new Envelope { Ping = new Ping { Nonce = 77 } }).Replies);
        Assert.Equal(77UL, reply.Pong.Nonce);
    }

    [Fact]
    public void Envelope_bodies_from_a_newer_protocol_are_ignored()
    {
        var session = Connected();
        session.OnEnvelope(Hello(3));
        // Field 99 (varint 1): a body this version does not know; protobuf keeps it as an unknown field.
        var future = EnvelopeCodec.Decode(Convert.FromHexString("980601"));
        Assert.Equal(Envelope.BodyOneofCase.None, future.BodyCase);
        Assert.Empty(session.OnEnvelope(future).Replies);
        Assert.Equal(3U, session.RemoteProtocolVersion);
    }

    [Fact]
    public void A_protocol_1_sync_frame_is_refused_by_a_version_2_session()
    {
        var session = Connected();
        session.OnEnvelope(Hello(2));
        var frame = new Envelope { Sync = new SyncFrame { DocId = "d1", Payload = ByteString.CopyFrom(0x00, 0x01, 0x00) } };
        var ex = Assert.Throws<SyncProtocolException>(() => session.OnEnvelope(frame));
        Assert.Contains("signed records", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Join_messages_on_a_sync_connection_are_protocol_errors()
    {
        var session = Connected();
        session.OnEnvelope(Hello(2));
        var join = new Envelope
        {
            JoinRequest = new JoinRequest { InviteId = ByteString.CopyFrom(new byte[16]), Proof = ByteString.CopyFrom(new byte[32]) },
        };
        Assert.Contains("joins have their own connection", Assert.Throws<SyncProtocolException>(() => session.OnEnvelope(join)).Message, StringComparison.Ordinal);
        var result = new Envelope { JoinResult = new JoinResult { Accepted = false, Reason = "no" } };
        Assert.Throws<SyncProtocolException>(() => session.OnEnvelope(result));
    }

    [Fact]
    public void Vectors_and_records_for_an_unannounced_document_are_protocol_errors()
    {
        var session = Connected();
        session.OnEnvelope(Hello(2));
        var vector = new Envelope { RecordVector = new Protocol.Wire.RecordVector { DocId = "nope" } };
        Assert.Contains("never announced", Assert.Throws<SyncProtocolException>(() => session.OnEnvelope(vector)).Message, StringComparison.Ordinal);
        var records = new Envelope { Records = new Records { DocId = "nope", Records_ = { ByteString.CopyFrom(1, 2, 3) } } };
        Assert.Throws<SyncProtocolException>(() => session.OnEnvelope(records));
    }

    [Fact]
    public void Malformed_announce_is_a_protocol_error_and_creates_nothing()
    {
        var session = Connected();
        session.OnEnvelope(Hello(2));
        Assert.Throws<SyncProtocolException>(() => session.OnEnvelope(Announce("../x", _shared)));
        var noSpace = Announce("d1", _shared);
        noSpace.Doc.SpaceId = ByteString.Empty;
        Assert.Throws<SyncProtocolException>(() => session.OnEnvelope(noSpace));
        Assert.Empty(Ann.Source.ListDocuments());
    }

    [Fact]
    public void Documents_of_a_space_the_peer_is_not_in_are_never_announced_nor_accepted()
    {
        var annOnly = _world.NewSpace(Ann, "ann only");
        var secret = Ann.Source.Create("secret", 1, annOnly);
        Ann.Source.Edit(secret.Id, d => d.GetText("text").Insert(0, "diary"));
        var pair = new SessionPair(Ann, Bob);
        pair.Connect();
        Assert.Null(Bob.Source.FindDocument(secret.Id));
        Assert.DoesNotContain(pair.SentByA, e => e.BodyCase == Envelope.BodyOneofCase.Space && e.Space.SpaceId.Span.SequenceEqual(annOnly.Bytes));
        Assert.Empty(pair.A.OnDocumentChanged(Ann.Source.FindDocument(secret.Id)!));
        Assert.Empty(pair.A.OnLocalRecords(secret.Id, [Ann.Source.Edit(secret.Id, d => d.GetText("text").Insert(0, "more"))!]));

        // Bob claims a document in Ann's private space: ignored, and so is everything he sends for it.
        var session = new PeerSyncSession(Cat.Source, Cat.Spaces, Bob.Id, "cat");
        session.OnConnected();
        session.OnEnvelope(Hello(2));
        var ignored = session.OnEnvelope(Announce("planted", _shared));
        Assert.Contains("does not share", Assert.Single(ignored.Refusals), StringComparison.Ordinal);
        Assert.Empty(ignored.Replies);
        Assert.Empty(session.OnEnvelope(new Envelope { RecordVector = new Protocol.Wire.RecordVector { DocId = "planted" } }).Replies);
        var records = new Envelope { Records = new Records { DocId = "planted", Records_ = { ByteString.CopyFrom(1, 2, 3) } } };
        Assert.Empty(session.OnEnvelope(records).AppliedRecords);
        Assert.Null(Cat.Source.FindDocument("planted"));
        Assert.True(session.IsCaughtUp);
    }

    [Fact]
    public void An_announcement_that_moves_a_known_document_to_another_space_is_ignored()
    {
        var other = _world.NewSpace(Ann, "other", (Bob, SpaceRole.Owner));
        var doc = Ann.Source.Create("doc", 1, _shared);
        var session = Connected();
        session.OnEnvelope(Hello(2));
        var output = session.OnEnvelope(Announce(doc.Id, other));
        Assert.Contains("but ours is in space", Assert.Single(output.Refusals), StringComparison.Ordinal);
        Assert.Equal(_shared, Ann.Source.FindDocument(doc.Id)!.Space);
        Assert.Empty(output.ChangedDocuments);
    }

    [Fact]
    public void A_viewers_records_are_refused_and_never_applied()
    {
        _world[0].Spaces.AddMember(_shared, Cat.Id, SpaceRole.Viewer);
        _world.HandOut(Ann, _shared);
        var doc = Ann.Source.Create("doc", 1, _shared);
        var pair = new SessionPair(Ann, Cat);
        pair.Connect();
        Assert.Equal("doc", Cat.Source.FindDocument(doc.Id)!.Name);

        var record = Cat.Source.Edit(doc.Id, d => d.GetText("text").Insert(0, "viewer wrote this"))!;
        var output = pair.A.OnEnvelope(RecordsOf(doc.Id, record));

        Assert.Empty(output.AppliedRecords);
        Assert.Contains("viewer", Assert.Single(output.Refusals), StringComparison.Ordinal);
        Assert.Equal("", Ann.Source.Doc(doc.Id).GetText("text").ToString());
        Assert.Equal(0ul, Ann.Source.RecordVector(doc.Id).SeqOf(Cat.Id));
    }

    [Fact]
    public void A_forged_signature_and_a_signature_moved_between_records_are_refused()
    {
        var doc = Ann.Source.Create("doc", 1, _shared);
        var pair = new SessionPair(Ann, Bob);
        pair.Connect();
        var first = Bob.Source.Edit(doc.Id, d => d.GetText("text").Insert(0, "one"))!;
        var second = Bob.Source.Edit(doc.Id, d => d.GetText("text").Insert(0, "two"))!;

        var forged = (byte[])first.Clone();
        forged[^5] ^= 0x20;
        var moved = (byte[])second.Clone();
        first.AsSpan(first.Length - 64).CopyTo(moved.AsSpan(moved.Length - 64));
        var output = pair.A.OnEnvelope(RecordsOf(doc.Id, forged, moved));

        Assert.Equal(2, output.Refusals.Count);
        Assert.All(output.Refusals, r => Assert.Contains("signature does not verify", r, StringComparison.Ordinal));
        Assert.Empty(output.AppliedRecords);
        Assert.Equal("", Ann.Source.Doc(doc.Id).GetText("text").ToString());
    }

    [Fact]
    public void Seeded_corrupt_records_are_protocol_errors_or_refusals_and_never_change_the_document()
    {
        const int seed = 99;
        var random = new Random(seed);
        var doc = Ann.Source.Create("doc", 1, _shared);
        var pair = new SessionPair(Ann, Bob);
        pair.Connect();
        var records = new List<byte[]>();
        for (var i = 0; i < 20; i++)
        {
            records.Add(Bob.Source.Edit(doc.Id, d => d.GetText("text").Insert(d.GetText("text").Length, $"w{i} "))!);
        }

        int errors = 0, refused = 0;
        for (var i = 0; i < 1000; i++)
        {
            var original = records[random.Next(records.Count)];
            var mutated = Mutate(original, random);
            if (mutated.AsSpan().SequenceEqual(original))
            {
                continue;
            }

            try
            {
                var output = pair.A.OnEnvelope(RecordsOf(doc.Id, mutated));
                Assert.True(output.AppliedRecords.Count == 0, $"seed {seed} iteration {i}: a mutated record was accepted");
                refused += output.Refusals.Count;
            }
            catch (SyncProtocolException ex)
            {
                errors++;
                Assert.True(ex.InnerException is RecordFormatException or WireFormatException, $"seed {seed} iteration {i}: {ex.InnerException?.GetType().Name}");
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed} iteration {i}: {ex.GetType().Name}: {ex.Message}");
            }

            Assert.True(Ann.Source.Doc(doc.Id).GetText("text").ToString().Length == 0, $"seed {seed} iteration {i}: the document changed");
        }

        Assert.True(errors > 50 && refused > 50, $"seed {seed}: {errors} protocol errors, {refused} refusals");
    }

    [Fact]
    public void A_member_added_later_gets_the_space_and_its_documents_and_a_removed_one_nothing_more()
    {
        var doc = Ann.Source.Create("doc", 1, _shared);
        Ann.Source.Edit(doc.Id, d => d.GetText("text").Insert(0, "hello"));
        var pair = new SessionPair(Ann, Cat);
        pair.Connect();
        Assert.Null(Cat.Source.FindDocument(doc.Id));
        Assert.True(pair.B.IsCaughtUp);

        Ann.Spaces.AddMember(_shared, Cat.Id, SpaceRole.Editor);
        var added = pair.A.OnSpaceChanged(_shared);
        Assert.Equal([Envelope.BodyOneofCase.Space, Envelope.BodyOneofCase.Doc, Envelope.BodyOneofCase.RecordVector], added.Select(e => e.BodyCase));
        pair.FromA(added);
        Assert.Equal("hello", Cat.Source.Doc(doc.Id).GetText("text").ToString());
        Assert.True(Cat.Spaces.IsMember(_shared, Cat.Id));

        Ann.Spaces.Remove(_shared, Cat.Id);
        Assert.Empty(pair.A.OnSpaceChanged(_shared));
        var later = Ann.Source.Edit(doc.Id, d => d.GetText("text").Insert(0, "after "))!;
        Assert.Empty(pair.A.OnLocalRecords(doc.Id, [later]));
        Assert.Empty(pair.A.OnDocumentChanged(Ann.Source.Rename(doc.Id, "renamed", 9)));
        Assert.Equal("hello", Cat.Source.Doc(doc.Id).GetText("text").ToString());

        // What the removed device still sends is ignored, not an error: it may not know yet.
        var fromCat = Cat.Source.Edit(doc.Id, d => d.GetText("text").Insert(0, "cat "))!;
        var output = pair.A.OnEnvelope(RecordsOf(doc.Id, fromCat));
        Assert.Contains("not a member", Assert.Single(output.Refusals), StringComparison.Ordinal);
        Assert.Equal("after hello", Ann.Source.Doc(doc.Id).GetText("text").ToString());
    }

    [Fact]
    public void An_announcement_ignored_for_an_unknown_space_is_taken_up_when_the_space_arrives()
    {
        var space = _world.NewSpace(Ann, "later", (Cat, SpaceRole.Editor));
        var cat = new SimDevice("cat2", Cat.Key, new Random(5), _world.Time);
        var doc = Ann.Source.Create("doc", 1, space);
        var session = new PeerSyncSession(cat.Source, cat.Spaces, Ann.Id, "cat");
        session.OnConnected();
        session.OnEnvelope(Hello(2));

        // Out of order: the document first (ignored: cat2 holds no such space), then its vector, then the space.
        Assert.Single(session.OnEnvelope(Announce(doc.Id, space)).Refusals);
        Assert.Empty(session.OnEnvelope(new Envelope { RecordVector = Ann.Source.RecordVector(doc.Id).ToProto(doc.Id) }).Replies);
        Assert.Null(cat.Source.FindDocument(doc.Id));
        var output = session.OnEnvelope(new Envelope { Space = Ann.Spaces.DescribeFor(space, Cat.Id) });

        Assert.Equal([space], output.ChangedSpaces);
        Assert.Equal(doc.Id, Assert.Single(output.ChangedDocuments).Id);
        Assert.Equal(Envelope.BodyOneofCase.RecordVector, Assert.Single(output.Replies).BodyCase);
        Assert.Equal(space, cat.Source.FindDocument(doc.Id)!.Space);
        Assert.True(session.IsCaughtUp);
        cat.Spaces.Dispose();
    }

    [Fact]
    public void A_member_removed_and_added_again_is_introduced_to_the_documents_afresh()
    {
        Ann.Spaces.AddMember(_shared, Cat.Id, SpaceRole.Editor);
        _world.HandOut(Ann, _shared);
        var doc = Ann.Source.Create("doc", 1, _shared);
        var session = new PeerSyncSession(Ann.Source, Ann.Spaces, Cat.Id, "ann");
        Assert.Contains(session.OnConnected(), e => e.BodyCase == Envelope.BodyOneofCase.Doc);

        Ann.Spaces.Remove(_shared, Cat.Id);
        Assert.Empty(session.OnSpaceChanged(_shared));
        Ann.Spaces.AddMember(_shared, Cat.Id, SpaceRole.Viewer);
        var again = session.OnSpaceChanged(_shared);

        Assert.Equal([Envelope.BodyOneofCase.Space, Envelope.BodyOneofCase.Doc, Envelope.BodyOneofCase.RecordVector], again.Select(e => e.BodyCase));
        Assert.Equal(doc.Id, again[1].Doc.DocId);
        Assert.Single(session.OnSpaceChanged(_shared));
    }

    [Fact]
    public void A_refused_space_state_is_a_refusal_line_and_changes_nothing()
    {
        var session = Connected();
        session.OnEnvelope(Hello(2));
        var replayed = Bob.Spaces.DescribeFor(_shared, Ann.Id);
        var first = replayed.Entries[0];
        replayed.Entries[0] = replayed.Entries[1];
        replayed.Entries[1] = first;

        var output = session.OnEnvelope(new Envelope { Space = replayed });

        Assert.Contains("Refused the state of space", Assert.Single(output.Refusals), StringComparison.Ordinal);
        Assert.Empty(output.ChangedSpaces);
        Assert.Equal(2, Ann.Spaces.Directory.Find(_shared)!.Log.Entries.Count);
    }

    private PeerSyncSession Connected()
    {
        var session = new PeerSyncSession(Ann.Source, Ann.Spaces, Bob.Id, "me");
        session.OnConnected();
        return session;
    }

    private static Envelope Hello(uint version) => new() { Hello = new Hello { DeviceName = "peer", ProtocolVersion = version } };

    private static Envelope Announce(string docId, SpaceId space) => new()
    {
        Doc = new DocAnnounce { DocId = docId, Name = "n", CreatedMs = 1, NameChangedMs = 1, SpaceId = ByteString.CopyFrom(space.Bytes) },
    };

    private static Envelope RecordsOf(string docId, params byte[][] records)
    {
        var message = new Records { DocId = docId };
        foreach (var record in records)
        {
            message.Records_.Add(ByteString.CopyFrom(record));
        }

        return new Envelope { Records = message };
    }

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
