using Google.Protobuf;
using P2PSync.Node.Sync;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Sync;

public sealed class RecordVectorTests
{
    private static readonly DeviceId Low = Device(0x01);
    private static readonly DeviceId High = Device(0xF0);

    [Fact]
    public void Seqs_cover_every_record_up_to_them_and_absent_authors_cover_nothing()
    {
        var vector = new RecordVector([new(High, 3), new(Low, 1)]);

        Assert.Equal(3ul, vector.SeqOf(High));
        Assert.True(vector.Covers(High, 3));
        Assert.True(vector.Covers(High, 1));
        Assert.False(vector.Covers(High, 4));
        Assert.Equal(0ul, vector.SeqOf(Device(0x77)));
        Assert.False(vector.Covers(Device(0x77), 1));
        Assert.True(vector.CoversAll(new RecordVector([new(High, 2)])));
        Assert.False(vector.CoversAll(new RecordVector([new(High, 2), new(Device(0x77), 1)])));
        Assert.True(vector.CoversAll(RecordVector.Empty));
        Assert.True(RecordVector.Empty.CoversAll(RecordVector.Empty));
    }

    [Fact]
    public void Zero_seqs_are_dropped_and_the_empty_device_is_refused()
    {
        var vector = new RecordVector([new(Low, 0), new(High, 2)]);
        Assert.Single(vector.Seqs);
        Assert.Throws<ArgumentException>(() => new RecordVector([new(default, 1)]));
    }

    [Fact]
    public void The_wire_form_lists_authors_in_key_order_and_round_trips()
    {
        var vector = new RecordVector([new(High, 9), new(Low, 4)]);

        var proto = vector.ToProto("doc-1");

        Assert.Equal("doc-1", proto.DocId);
        Assert.Equal([Low.PublicKey.ToArray(), High.PublicKey.ToArray()], proto.Entries.Select(e => e.Author.ToByteArray()));
        Assert.Equal([4ul, 9ul], proto.Entries.Select(e => e.Seq));
        var back = RecordVector.FromProto(proto);
        Assert.Equal(vector.ToString(), back.ToString());
        Assert.Equal(proto, back.ToProto("doc-1"));
    }

    [Fact]
    public void Malformed_wire_vectors_are_format_errors()
    {
        var shortKey = new Protocol.Wire.RecordVector { DocId = "d" };
        shortKey.Entries.Add(new Protocol.Wire.AuthorSeq { Author = ByteString.CopyFrom(new byte[31]), Seq = 1 });
        Assert.Throws<FormatException>(() => RecordVector.FromProto(shortKey));

        var zero = new Protocol.Wire.RecordVector { DocId = "d" };
        zero.Entries.Add(new Protocol.Wire.AuthorSeq { Author = ByteString.CopyFrom(Low.PublicKey.Span), Seq = 0 });
        Assert.Throws<FormatException>(() => RecordVector.FromProto(zero));

        var twice = new Protocol.Wire.RecordVector { DocId = "d" };
        twice.Entries.Add(new Protocol.Wire.AuthorSeq { Author = ByteString.CopyFrom(Low.PublicKey.Span), Seq = 1 });
        twice.Entries.Add(new Protocol.Wire.AuthorSeq { Author = ByteString.CopyFrom(Low.PublicKey.Span), Seq = 2 });
        Assert.Contains("twice", Assert.Throws<FormatException>(() => RecordVector.FromProto(twice)).Message, StringComparison.Ordinal);
    }

    private static DeviceId Device(byte fill) => DeviceId.FromPublicKey(Enumerable.Repeat(fill, DeviceId.KeyLength).ToArray());
}
