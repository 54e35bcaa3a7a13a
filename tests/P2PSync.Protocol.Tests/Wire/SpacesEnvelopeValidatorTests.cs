using Google.Protobuf;
using P2PSync.Protocol.Tests.YProtocols;
using P2PSync.Protocol.Wire;

namespace P2PSync.Protocol.Tests.Wire;

/// <summary>The validator's rules for the protocol-2 bodies (docs/protocol/spaces-sync.md, "Limits").</summary>
public sealed class SpacesEnvelopeValidatorTests
{
    private static readonly ByteString Space = EnvelopeCodecTests.Space;

    [Fact]
    public void Every_spaces_body_round_trips()
    {
        foreach (var envelope in Samples())
        {
            Assert.Equal(envelope, EnvelopeCodec.Decode(EnvelopeCodec.Encode(envelope)));
        }
    }

    [Fact]
    public void Known_bytes_for_a_record_vector()
    {
        // As in docs/protocol/spaces-sync.md: field 15 (record_vector), inside doc_id "d1" and one AuthorSeq.
        var vector = new RecordVector { DocId = "d1" };
        vector.Entries.Add(new AuthorSeq { Author = ByteString.CopyFrom(Enumerable.Repeat((byte)0xA1, 32).ToArray()), Seq = 12 });
        var expected = "7A2A0A02643112240A20" + string.Concat(Enumerable.Repeat("A1", 32)) + "100C";
        Assert.Equal(expected, Convert.ToHexString(EnvelopeCodec.Encode(new Envelope { RecordVector = vector })));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(17)]
    public void A_document_announcement_must_name_a_16_byte_space(int length)
    {
        var announce = new Envelope { Doc = new DocAnnounce { DocId = "d1", Name = "n", SpaceId = ByteString.CopyFrom(new byte[length]) } };
        Assert.Contains("space id", AssertRefused(announce).Message);
    }

    [Fact]
    public void A_handoff_record_may_omit_its_space_but_not_carry_a_malformed_one()
    {
        var begin = new HandoffBegin { HandoffId = "h1" };
        begin.Documents.Add(new HandoffDocument { Record = new DocAnnounce { DocId = "d1", Name = "n" } });
        var envelope = new Envelope { HandoffBegin = begin };
        EnvelopeCodec.Decode(EnvelopeCodec.Encode(envelope));
        begin.Documents[0].Record.SpaceId = Space;
        EnvelopeCodec.Decode(EnvelopeCodec.Encode(envelope));
        begin.Documents[0].Record.SpaceId = ByteString.CopyFrom(new byte[3]);
        Assert.Contains("space id of 3 bytes", AssertRefused(envelope).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(32)]
    public void Space_state_with_a_malformed_space_id_is_refused(int length)
    {
        var state = State();
        state.SpaceId = ByteString.CopyFrom(new byte[length]);
        Assert.Contains($"space id of {length} bytes", AssertRefused(new Envelope { Space = state }).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" padded")]
    [InlineData("tab\there")]
    [InlineData("bidi\u202Eoverride")]
    public void Space_state_with_a_bad_name_is_refused(string name)
    {
        var state = State();
        state.Name = name;
        Assert.StartsWith("space name", AssertRefused(new Envelope { Space = state }).Message);
    }

    [Fact]
    public void Space_state_needs_1_to_10000_entries_of_1_to_1024_bytes()
    {
        var state = State();
        state.Entries.Clear();
        Assert.Contains("0 membership entries", AssertRefused(new Envelope { Space = state }).Message);

        state = State();
        while (state.Entries.Count < EnvelopeValidator.MaxSpaceEntries)
        {
            state.Entries.Add(ByteString.CopyFrom(1, 2));
        }

        EnvelopeCodec.Decode(EnvelopeCodec.Encode(new Envelope { Space = state }));
        state.Entries.Add(ByteString.CopyFrom(1, 2));
        Assert.Contains("10001 membership entries", AssertRefused(new Envelope { Space = state }).Message);

        state = State();
        state.Entries.Add(ByteString.Empty);
        Assert.Contains("entry 1 is 0 bytes", AssertRefused(new Envelope { Space = state }).Message);
        state.Entries[1] = ByteString.CopyFrom(new byte[EnvelopeValidator.MaxMembershipEntryBytes]);
        EnvelopeCodec.Decode(EnvelopeCodec.Encode(new Envelope { Space = state }));
        state.Entries[1] = ByteString.CopyFrom(new byte[EnvelopeValidator.MaxMembershipEntryBytes + 1]);
        Assert.Contains("entry 1 is 1025 bytes", AssertRefused(new Envelope { Space = state }).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(87)]
    [InlineData(89)]
    public void Space_state_keys_must_be_88_byte_wraps(int length)
    {
        var state = State();
        state.Keys.Add(new WrappedSpaceKey { Epoch = 1, SealedKey = ByteString.CopyFrom(new byte[length]) });
        Assert.Contains($"epoch 1 is {length} bytes", AssertRefused(new Envelope { Space = state }).Message);
    }

    [Fact]
    public void Space_state_with_two_keys_for_one_epoch_is_refused()
    {
        var state = State();
        state.Keys.Add(state.Keys[0].Clone());
        Assert.Contains("two keys for epoch 0", AssertRefused(new Envelope { Space = state }).Message);
    }

    [Fact]
    public void Space_state_with_more_keys_than_a_log_can_rotate_to_is_refused()
    {
        var state = State();
        state.Keys.Clear();
        var wrap = ByteString.CopyFrom(new byte[EnvelopeValidator.WrappedSpaceKeyLength]);
        for (ulong epoch = 0; epoch <= EnvelopeValidator.MaxSpaceEntries + 1; epoch++)
        {
            state.Keys.Add(new WrappedSpaceKey { Epoch = epoch, SealedKey = wrap });
        }

        Assert.Contains("10002 keys", AssertRefused(new Envelope { Space = state }).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Record_vector_authors_must_be_32_byte_keys(int length)
    {
        var vector = Vector();
        vector.Entries.Add(new AuthorSeq { Author = ByteString.CopyFrom(new byte[length]), Seq = 1 });
        Assert.Contains($"author of {length} bytes", AssertRefused(new Envelope { RecordVector = vector }).Message);
    }

    [Fact]
    public void Record_vector_names_each_author_once_with_a_seq_from_1()
    {
        var vector = Vector();
        vector.Entries.Add(vector.Entries[0].Clone());
        Assert.Contains("twice", AssertRefused(new Envelope { RecordVector = vector }).Message);

        vector = Vector();
        vector.Entries[0].Seq = 0;
        Assert.Contains("seq 0", AssertRefused(new Envelope { RecordVector = vector }).Message);
    }

    [Fact]
    public void Record_vector_is_limited_to_10000_authors_and_needs_a_valid_doc_id()
    {
        var vector = new RecordVector { DocId = "d1" };
        for (var i = 0; i <= EnvelopeValidator.MaxVectorAuthors; i++)
        {
            var author = new byte[32];
            BitConverter.TryWriteBytes(author, i);
            vector.Entries.Add(new AuthorSeq { Author = ByteString.CopyFrom(author), Seq = 1 });
        }

        Assert.Contains("10001 authors", AssertRefused(new Envelope { RecordVector = vector }).Message);
        AssertRefused(new Envelope { RecordVector = new RecordVector { DocId = "a/b" } });
        EnvelopeCodec.Decode(EnvelopeCodec.Encode(new Envelope { RecordVector = new RecordVector { DocId = "empty-is-fine" } }));
    }

    [Fact]
    public void Records_carry_1_to_10000_non_empty_records_of_a_valid_document()
    {
        var records = new Records { DocId = "d1", CatchUp = true };
        Assert.Contains("0 records", AssertRefused(new Envelope { Records = records }).Message);

        for (var i = 0; i < EnvelopeValidator.MaxRecordsPerMessage; i++)
        {
            records.Records_.Add(ByteString.CopyFrom(1));
        }

        EnvelopeCodec.Decode(EnvelopeCodec.Encode(new Envelope { Records = records }));
        records.Records_.Add(ByteString.CopyFrom(1));
        Assert.Contains("10001 records", AssertRefused(new Envelope { Records = records }).Message);

        records = new Records { DocId = "d1" };
        records.Records_.Add(ByteString.CopyFrom(1));
        records.Records_.Add(ByteString.Empty);
        Assert.Contains("record 1 for d1 is 0 bytes", AssertRefused(new Envelope { Records = records }).Message);
        records.Records_[1] = ByteString.CopyFrom(1);
        records.DocId = "..";
        AssertRefused(new Envelope { Records = records });
    }

    [Theory]
    [InlineData(15, 32, "invite id of 15 bytes")]
    [InlineData(17, 32, "invite id of 17 bytes")]
    [InlineData(16, 0, "proof of 0 bytes")]
    [InlineData(16, 31, "proof of 31 bytes")]
    public void Join_request_needs_a_16_byte_invite_id_and_a_32_byte_proof(int idLength, int proofLength, string expected)
    {
        var request = Join();
        request.InviteId = ByteString.CopyFrom(new byte[idLength]);
        request.Proof = ByteString.CopyFrom(new byte[proofLength]);
        Assert.Contains(expected, AssertRefused(new Envelope { JoinRequest = request }).Message);
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("bidi\u2066isolate")]
    public void Join_request_device_names_are_printable(string name)
    {
        var request = Join();
        request.DeviceName = name;
        Assert.Contains("device name contains", AssertRefused(new Envelope { JoinRequest = request }).Message);
    }

    [Fact]
    public void Join_request_device_name_and_port_are_bounded()
    {
        var request = Join();
        request.DeviceName = new string('n', EnvelopeValidator.MaxDeviceNameLength + 1);
        Assert.Contains("201 characters", AssertRefused(new Envelope { JoinRequest = request }).Message);
        request = Join();
        request.ListenPort = 65536;
        Assert.Contains("not a TCP port", AssertRefused(new Envelope { JoinRequest = request }).Message);
    }

    [Fact]
    public void An_accepted_join_result_carries_a_valid_space()
    {
        var result = new JoinResult { Accepted = true, InviterName = "ann's laptop" };
        Assert.Contains("carries no space", AssertRefused(new Envelope { JoinResult = result }).Message);
        result.Space = State();
        result.Space.Entries.Clear();
        Assert.Contains("0 membership entries", AssertRefused(new Envelope { JoinResult = result }).Message);
    }

    [Fact]
    public void A_refused_join_result_gives_a_bounded_reason_and_no_space()
    {
        var result = new JoinResult { Accepted = false };
        Assert.Contains("no reason", AssertRefused(new Envelope { JoinResult = result }).Message);
        result.Reason = "this invite was already used";
        result.Space = State();
        Assert.Contains("carries a space", AssertRefused(new Envelope { JoinResult = result }).Message);
        result.Space = null;
        result.Reason = new string('r', EnvelopeValidator.MaxReasonLength + 1);
        Assert.Contains("501 characters", AssertRefused(new Envelope { JoinResult = result }).Message);
        result.Reason = "expired";
        result.InviterName = "bell\u0007";
        Assert.Contains("join result: device name contains U+0007", AssertRefused(new Envelope { JoinResult = result }).Message);
    }

    [Fact]
    public void Seeded_mutations_of_spaces_envelopes_decode_or_raise_wire_errors()
    {
        EnvelopeMutations.AssertDecodeOrWireError(Samples(), seed: 6262);
    }

    internal static Envelope[] Samples()
    {
        var records = new Records { DocId = "notes", CatchUp = true };
        records.Records_.Add(ByteString.CopyFrom(Enumerable.Range(0, 200).Select(i => (byte)i).ToArray()));
        records.Records_.Add(ByteString.CopyFrom(7, 7, 7));
        return
        [
            new() { Doc = new DocAnnounce { DocId = "notes", Name = "Notes", CreatedMs = 1, NameChangedMs = 2, SpaceId = Space } },
            new() { Space = State() },
            new() { RecordVector = Vector() },
            new() { Records = records },
            new() { JoinRequest = Join() },
            new() { JoinResult = new JoinResult { Accepted = true, Space = State(), InviterName = "ann's laptop" } },
            new() { JoinResult = new JoinResult { Accepted = false, Reason = "this invite was already used" } },
        ];
    }

    private static SpaceState State()
    {
        var state = new SpaceState { SpaceId = Space, Name = "Family photos" };
        state.Entries.Add(ByteString.CopyFrom(Enumerable.Range(0, 187).Select(i => (byte)(i * 3)).ToArray()));
        state.Keys.Add(new WrappedSpaceKey { Epoch = 0, SealedKey = ByteString.CopyFrom(Enumerable.Range(0, EnvelopeValidator.WrappedSpaceKeyLength).Select(i => (byte)i).ToArray()) });
        return state;
    }

    private static RecordVector Vector()
    {
        var vector = new RecordVector { DocId = "notes" };
        vector.Entries.Add(new AuthorSeq { Author = ByteString.CopyFrom(Enumerable.Repeat((byte)0xA1, 32).ToArray()), Seq = 12 });
        vector.Entries.Add(new AuthorSeq { Author = ByteString.CopyFrom(Enumerable.Repeat((byte)0xB2, 32).ToArray()), Seq = 1 });
        return vector;
    }

    private static JoinRequest Join() => new()
    {
        InviteId = ByteString.CopyFrom(Enumerable.Repeat((byte)0x11, EnvelopeValidator.InviteIdLength).ToArray()),
        Proof = ByteString.CopyFrom(Enumerable.Repeat((byte)0x22, EnvelopeValidator.JoinProofLength).ToArray()),
        DeviceName = "bob's phone",
        ListenPort = 41234,
    };

    private static WireFormatException AssertRefused(Envelope envelope)
    {
        var bytes = EnvelopeCodec.Encode(envelope);
        return Assert.Throws<WireFormatException>(() => EnvelopeCodec.Decode(bytes));
    }
}
