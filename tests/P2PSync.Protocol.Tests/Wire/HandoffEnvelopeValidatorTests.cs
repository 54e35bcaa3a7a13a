using Google.Protobuf;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Tests.YProtocols;
using P2PSync.Protocol.Wire;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Protocol.Tests.Wire;

/// <summary>The validator's rules for the presence and handoff bodies (docs/protocol/handoff.md, "Limits").</summary>
public sealed class HandoffEnvelopeValidatorTests
{
    private static readonly string Device = DeviceId.FromPublicKey(new byte[32]).ToString();

    [Fact]
    public void Every_presence_and_handoff_body_round_trips()
    {
        foreach (var envelope in Samples())
        {
            Assert.Equal(envelope, EnvelopeCodec.Decode(EnvelopeCodec.Encode(envelope)));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("caf\u00e9")]
    [InlineData("with space")]
    public void Bad_handoff_ids_are_refused_in_every_body(string id)
    {
        foreach (var envelope in Samples().Where(e => e.BodyCase is not (Envelope.BodyOneofCase.Presence or Envelope.BodyOneofCase.Awareness)))
        {
            SetHandoffId(envelope, id);
            var ex = AssertRefused(envelope);
            Assert.StartsWith("handoff id", ex.Message);
        }
    }

    [Fact]
    public void Handoff_ids_follow_the_document_id_length_limit()
    {
        var ok = new Envelope { HandoffDecline = new HandoffDecline { HandoffId = new string('h', EnvelopeValidator.MaxHandoffIdLength) } };
        EnvelopeCodec.Decode(EnvelopeCodec.Encode(ok));
        ok.HandoffDecline.HandoffId += "h";
        AssertRefused(ok);
    }

    [Fact]
    public void Activity_json_is_limited_to_1_MiB_plus_64_KiB()
    {
        var begin = new Envelope { HandoffBegin = new HandoffBegin { HandoffId = "h1", ActivityJson = ByteString.CopyFrom(new byte[EnvelopeValidator.MaxActivityJsonBytes]) } };
        EnvelopeCodec.Decode(EnvelopeCodec.Encode(begin));
        begin.HandoffBegin.ActivityJson = ByteString.CopyFrom(new byte[EnvelopeValidator.MaxActivityJsonBytes + 1]);
        Assert.Contains("at most 1114112", AssertRefused(begin).Message);
    }

    [Fact]
    public void Chunk_data_is_limited_to_1_MiB()
    {
        var chunk = new Envelope { HandoffChunk = new HandoffChunk { HandoffId = "h1", DocId = "d1", Data = ByteString.CopyFrom(new byte[1024 * 1024]) } };
        EnvelopeCodec.Decode(EnvelopeCodec.Encode(chunk));
        chunk.HandoffChunk.Data = ByteString.CopyFrom(new byte[(1024 * 1024) + 1]);
        AssertRefused(chunk);
        chunk.HandoffChunk.Data = ByteString.Empty;
        chunk.HandoffChunk.Offset = (256UL * 1024 * 1024) + 1;
        AssertRefused(chunk);
    }

    [Fact]
    public void Update_bytes_per_document_are_limited_to_256_MiB()
    {
        var begin = Samples().Single(e => e.BodyCase == Envelope.BodyOneofCase.HandoffBegin);
        begin.HandoffBegin.Documents[0].UpdateBytes = 256UL * 1024 * 1024;
        EnvelopeCodec.Decode(EnvelopeCodec.Encode(begin));
        begin.HandoffBegin.Documents[0].UpdateBytes++;
        AssertRefused(begin);
        begin.HandoffBegin.Documents[0].UpdateBytes = ulong.MaxValue;
        AssertRefused(begin);
    }

    [Fact]
    public void Reasons_are_limited_to_500_characters()
    {
        foreach (var envelope in new[]
        {
            new Envelope { HandoffDecline = new HandoffDecline { HandoffId = "h1", Reason = new string('r', 500) } },
            new Envelope { HandoffResult = new HandoffResult { HandoffId = "h1", Reason = new string('r', 500) } },
        })
        {
            EnvelopeCodec.Decode(EnvelopeCodec.Encode(envelope));
            if (envelope.HandoffDecline is { } decline)
            {
                decline.Reason += "!";
            }
            else
            {
                envelope.HandoffResult.Reason += "!";
            }

            AssertRefused(envelope);
        }
    }

    [Fact]
    public void At_most_64_documents_or_state_vectors()
    {
        var presence = new Presence();
        var request = new HandoffRequest { HandoffId = "h1" };
        var begin = new HandoffBegin { HandoffId = "h1" };
        for (var i = 0; i < EnvelopeValidator.MaxHandoffDocuments; i++)
        {
            presence.Documents.Add(new ActivityDocumentSummary { DocId = $"d{i}", Name = $"Doc {i}" });
            request.StateVectors.Add(new DocStateVector { DocId = $"d{i}", StateVector = ByteString.CopyFrom(0) });
            begin.Documents.Add(new HandoffDocument { Record = new DocAnnounce { DocId = $"d{i}", Name = "n" }, UpdateBytes = 2 });
        }

        var envelopes = new[]
        {
            new Envelope { Presence = presence },
            new Envelope { HandoffOffer = new HandoffOffer { HandoffId = "h1", Activity = presence.Clone() } },
            new Envelope { HandoffRequest = request },
            new Envelope { HandoffBegin = begin },
        };
        foreach (var envelope in envelopes)
        {
            EnvelopeCodec.Decode(EnvelopeCodec.Encode(envelope));
        }

        presence.Documents.Add(new ActivityDocumentSummary { DocId = "one-more" });
        envelopes[1].HandoffOffer.Activity.Documents.Add(new ActivityDocumentSummary { DocId = "one-more" });
        request.StateVectors.Add(new DocStateVector { DocId = "one-more", StateVector = ByteString.CopyFrom(0) });
        begin.Documents.Add(new HandoffDocument { Record = new DocAnnounce { DocId = "one-more", Name = "n" } });
        foreach (var envelope in envelopes)
        {
            Assert.Contains("at most 64", AssertRefused(envelope).Message);
        }
    }

    [Fact]
    public void Presence_rules()
    {
        Envelope Presence(Action<Presence> change)
        {
            var presence = new Presence { Version = 3, UpdatedMs = 5 };
            presence.Documents.Add(new ActivityDocumentSummary { DocId = "d1", Name = "Notes" });
            change(presence);
            return new Envelope { Presence = presence };
        }

        // An empty name: the sender does not have the document's record.
        EnvelopeCodec.Decode(EnvelopeCodec.Encode(Presence(p => p.Documents[0].Name = "")));
        AssertRefused(Presence(p => p.Documents.Add(new ActivityDocumentSummary { DocId = "d1" })));
        AssertRefused(Presence(p => p.Documents[0].Name = " padded "));
        AssertRefused(Presence(p => p.Documents[0].DocId = "a/b"));
        AssertRefused(Presence(p => p.UpdatedMs = -1));
        AssertRefused(Presence(p => p.Version = ulong.MaxValue));
        AssertRefused(Presence(p => p.HandedOffTo = "not a device"));
        EnvelopeCodec.Decode(EnvelopeCodec.Encode(Presence(p => p.HandedOffTo = Device)));
    }

    [Fact]
    public void Offer_begin_and_request_structure_rules()
    {
        AssertRefused(new Envelope { HandoffOffer = new HandoffOffer { HandoffId = "h1" } });
        AssertRefused(new Envelope { HandoffOffer = new HandoffOffer { HandoffId = "h1", Activity = new Presence(), ExpiresMs = -1 } });
        var begin = new HandoffBegin { HandoffId = "h1" };
        begin.Documents.Add(new HandoffDocument { UpdateBytes = 2 });
        AssertRefused(new Envelope { HandoffBegin = begin });
        begin.Documents[0].Record = new DocAnnounce { DocId = "d1", Name = "" };
        AssertRefused(new Envelope { HandoffBegin = begin });
        var request = new HandoffRequest { HandoffId = "h1" };
        request.StateVectors.Add(new DocStateVector { DocId = "d1", StateVector = ByteString.CopyFrom(0x05, 0x01) });
        Assert.Contains("state vector for d1", AssertRefused(new Envelope { HandoffRequest = request }).Message);
    }

    [Fact]
    public void Awareness_frames_are_limited_to_1_MiB_of_well_formed_update()
    {
        var state = "{\"user\":{\"name\":\"" + new string('n', 1024 * 1024) + "\"}}";
        var big = AwarenessUpdate.Encode([new AwarenessEntry(1, 1, state)]);
        Assert.True(big.Length > EnvelopeValidator.MaxAwarenessBytes);
        var frame = new Envelope { Awareness = new AwarenessFrame { DocId = "d1", Update = ByteString.CopyFrom(big) } };
        Assert.Contains("at most 1048576", AssertRefused(frame).Message);
        frame.Awareness.Update = ByteString.CopyFrom(0x01, 0x01);
        AssertRefused(frame);
        frame.Awareness.DocId = "..";
        frame.Awareness.Update = ByteString.CopyFrom(AwarenessUpdate.Encode([]));
        AssertRefused(frame);
    }

    [Fact]
    public void Seeded_mutations_of_handoff_envelopes_decode_or_raise_wire_errors()
    {
        EnvelopeMutations.AssertDecodeOrWireError(Samples(), seed: 5151);
    }

    internal static Envelope[] Samples()
    {
        var presence = new Presence { Version = 7, UpdatedMs = 1_763_791_200_000, HandedOffTo = Device };
        presence.Documents.Add(new ActivityDocumentSummary { DocId = "notes", Name = "Notes ✓" });
        presence.Documents.Add(new ActivityDocumentSummary { DocId = "plan", Name = "" });
        var request = new HandoffRequest { HandoffId = "h-1" };
        request.StateVectors.Add(new DocStateVector { DocId = "notes", StateVector = ByteString.CopyFrom(0x01, 0x05, 0x03) });
        var begin = new HandoffBegin { HandoffId = "h-1", ActivityJson = ByteString.CopyFromUtf8("{\"version\":1,\"updatedMs\":2,\"documents\":[]}") };
        begin.Documents.Add(new HandoffDocument { Record = new DocAnnounce { DocId = "notes", Name = "Notes", CreatedMs = 1, NameChangedMs = 2, NameChangedBy = Device }, UpdateBytes = 300 });
        return
        [
            new() { Presence = presence },
            new() { Awareness = new AwarenessFrame { DocId = "notes", Update = ByteString.CopyFrom(AwarenessUpdate.Encode([new AwarenessEntry(42, 3, "{\"user\":{\"name\":\"ann\"}}")])) } },
            new() { HandoffOffer = new HandoffOffer { HandoffId = "h-1", Activity = presence.Clone(), ExpiresMs = 1_763_791_260_000 } },
            new() { HandoffRequest = request },
            new() { HandoffDecline = new HandoffDecline { HandoffId = "h-1", Reason = "in a meeting" } },
            new() { HandoffBegin = begin },
            new() { HandoffChunk = new HandoffChunk { HandoffId = "h-1", DocId = "notes", Offset = 65536, Data = ByteString.CopyFrom(1, 2, 3), Last = true } },
            new() { HandoffResult = new HandoffResult { HandoffId = "h-1", Ready = true } },
        ];
    }

    private static void SetHandoffId(Envelope envelope, string id)
    {
        switch (envelope.BodyCase)
        {
            case Envelope.BodyOneofCase.HandoffOffer: envelope.HandoffOffer.HandoffId = id; break;
            case Envelope.BodyOneofCase.HandoffRequest: envelope.HandoffRequest.HandoffId = id; break;
            case Envelope.BodyOneofCase.HandoffDecline: envelope.HandoffDecline.HandoffId = id; break;
            case Envelope.BodyOneofCase.HandoffBegin: envelope.HandoffBegin.HandoffId = id; break;
            case Envelope.BodyOneofCase.HandoffChunk: envelope.HandoffChunk.HandoffId = id; break;
            case Envelope.BodyOneofCase.HandoffResult: envelope.HandoffResult.HandoffId = id; break;
            default: throw new ArgumentException(envelope.BodyCase.ToString());
        }
    }

    private static WireFormatException AssertRefused(Envelope envelope)
    {
        var bytes = EnvelopeCodec.Encode(envelope);
        return Assert.Throws<WireFormatException>(() => EnvelopeCodec.Decode(bytes));
    }
}
