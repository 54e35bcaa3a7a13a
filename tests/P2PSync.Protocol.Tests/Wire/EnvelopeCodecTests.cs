using Google.Protobuf;
using P2PSync.Protocol.Tests.YProtocols;
using P2PSync.Protocol.Wire;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Protocol.Tests.Wire;

public sealed class EnvelopeCodecTests
{
    // Every DocAnnounce names its space from protocol 2 on; the samples use this one.
    internal static readonly ByteString Space = ByteString.CopyFrom(Enumerable.Range(1, EnvelopeValidator.SpaceIdLength).Select(i => (byte)i).ToArray());

    [Fact]
    public void Every_body_round_trips()
    {
        var envelopes = SampleEnvelopes();
        foreach (var envelope in envelopes)
        {
            var decoded = EnvelopeCodec.Decode(EnvelopeCodec.Encode(envelope));
            Assert.Equal(envelope, decoded);
        }
    }

    [Fact]
    public void Known_bytes_for_a_sync_frame()
    {
        // field 3 (sync), length-delimited; inside: field 1 doc_id "d1", field 2 payload 00 01 00 (SyncStep1 of an empty doc).
        var envelope = new Envelope { Sync = new SyncFrame { DocId = "d1", Payload = ByteString.CopyFrom(0x00, 0x01, 0x00) } };
        Assert.Equal("1A090A0264311203000100", Convert.ToHexString(EnvelopeCodec.Encode(envelope)));
    }

    [Theory]
    [InlineData("0A")]
    [InlineData("1AFF")]
    [InlineData("FFFFFFFFFFFFFFFFFFFF01")]
    [InlineData("1A0A0A02643112040001")]
    public void Invalid_protobuf_is_a_wire_format_error(string hex)
    {
        Assert.Throws<WireFormatException>(() => EnvelopeCodec.Decode(Convert.FromHexString(hex)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("caf\u00e9")]
    [InlineData("with space")]
    public void Bad_document_ids_are_refused(string id)
    {
        AssertRefused(new Envelope { Doc = new DocAnnounce { SpaceId = Space, DocId = id, Name = "ok" } });
        AssertRefused(new Envelope { Sync = new SyncFrame { DocId = id, Payload = ByteString.CopyFrom(0x00, 0x01, 0x00) } });
    }

    [Fact]
    public void Overlong_document_id_is_refused() =>
        AssertRefused(new Envelope { Doc = new DocAnnounce { SpaceId = Space, DocId = new string('a', 129), Name = "ok" } });

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" leading")]
    [InlineData("line\nbreak")]
    [InlineData("bidi\u202Eoverride")]
    public void Bad_document_names_are_refused(string name) =>
        AssertRefused(new Envelope { Doc = new DocAnnounce { SpaceId = Space, DocId = "d1", Name = name } });

    [Fact]
    public void Broken_surrogate_in_a_name_is_refused_by_the_validator()
    {
        // Protobuf's UTF-8 encoder already replaces a lone surrogate with U+FFFD, so it can only
        // reach the validator through an envelope built in memory.
        var envelope = new Envelope { Doc = new DocAnnounce { SpaceId = Space, DocId = "d1", Name = "broken\ud800" } };
        Assert.Throws<WireFormatException>(() => EnvelopeValidator.Validate(envelope));
    }

    [Fact]
    public void Negative_times_are_refused()
    {
        AssertRefused(new Envelope { Doc = new DocAnnounce { SpaceId = Space, DocId = "d1", Name = "n", CreatedMs = -1 } });
        AssertRefused(new Envelope { Doc = new DocAnnounce { SpaceId = Space, DocId = "d1", Name = "n", NameChangedMs = -5 } });
    }

    [Fact]
    public void Sync_frame_with_a_malformed_sync_message_is_refused()
    {
        var ex = AssertRefused(new Envelope { Sync = new SyncFrame { DocId = "d1", Payload = ByteString.CopyFrom(0x05, 0x00) } });
        Assert.IsType<YProtocolFormatException>(ex.InnerException);
    }

    [Fact]
    public void Seeded_mutations_of_valid_envelopes_decode_or_raise_wire_errors()
    {
        EnvelopeMutations.AssertDecodeOrWireError(SampleEnvelopes(), seed: 4242);
    }

    internal static Envelope[] SampleEnvelopes() =>
    [
        new() { Hello = new Hello { DeviceName = "laptop", ProtocolVersion = 2 } },
        new() { Doc = new DocAnnounce { SpaceId = Space, DocId = "0123456789abcdef0123456789abcdef", Name = "Notes ✓", CreatedMs = 1_700_000_000_000, NameChangedMs = 1_700_000_000_500, NameChangedBy = "ABC" } },
        new() { Sync = new SyncFrame { DocId = "d1", Payload = ByteString.CopyFrom(SyncMessage.Step1([1, 1, 5]).Encode()) } },
        new() { Sync = new SyncFrame { DocId = "d1", Payload = ByteString.CopyFrom(YProtocolsGoldenData.Bytes("sync:update")) } },
        new() { Ping = new Ping { Nonce = 99 } },
        new() { Pong = new Pong { Nonce = ulong.MaxValue } },
    ];

    private static WireFormatException AssertRefused(Envelope envelope)
    {
        var bytes = EnvelopeCodec.Encode(envelope);
        return Assert.Throws<WireFormatException>(() => EnvelopeCodec.Decode(bytes));
    }
}
