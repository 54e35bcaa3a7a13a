using System.Buffers.Binary;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>Every form error the record codec reports, each built from a valid record with one thing wrong.</summary>
public sealed class SignedRecordCodecTests
{
    private const int DocIdStart = SignedRecordCodec.FixedHeaderLength;

    [Fact]
    public void Too_short_too_long_and_empty_inputs_are_refused()
    {
        AssertRefused([], "at least");
        AssertRefused(new byte[SignedRecordCodec.MinRecordBytes - 1], "at least");
        AssertRefused(new byte[SignedRecordCodec.MaxRecordBytes + 1], "at most");
    }

    [Fact]
    public void The_smallest_record_decodes()
    {
        var bytes = Valid("d", [[0, 0]]);
        Assert.Equal(SignedRecordCodec.MinRecordBytes, bytes.Length);
        Assert.Equal("d", SignedRecordCodec.Decode(bytes).DocId);
    }

    [Fact]
    public void An_unknown_version_is_refused()
    {
        var bytes = Valid();
        bytes[0] = 2;
        AssertRefused(bytes, "version 2");
    }

    [Fact]
    public void Sequence_number_zero_is_refused()
    {
        var bytes = Valid();
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(SignedRecordCodec.SeqOffset), 0);
        AssertRefused(bytes, "sequence number");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(129)]
    [InlineData(255)]
    public void A_doc_id_length_out_of_range_is_refused(byte length)
    {
        var bytes = Valid();
        bytes[SignedRecordCodec.DocIdLengthOffset] = length;
        AssertRefused(bytes, "1..128");
    }

    [Fact]
    public void A_doc_id_running_into_the_signature_is_refused()
    {
        var bytes = Valid("d", [[0, 0]]);
        bytes[SignedRecordCodec.DocIdLengthOffset] = 10;
        AssertRefused(bytes, "runs into the signature");
    }

    [Theory]
    [InlineData((byte)'/')]
    [InlineData((byte)' ')]
    [InlineData((byte)0)]
    [InlineData((byte)0xC3)]
    public void A_doc_id_with_a_forbidden_byte_is_refused(byte forbidden)
    {
        var bytes = Valid("abc", [[0, 0]]);
        bytes[DocIdStart + 1] = forbidden;
        AssertRefused(bytes, "not allowed");
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public void Path_segment_doc_ids_are_refused(string docId)
    {
        // Built by hand: Create itself refuses these ids.
        var bytes = Valid(new string('a', docId.Length), [[0, 0]]);
        for (var i = 0; i < docId.Length; i++)
        {
            bytes[DocIdStart + i] = (byte)'.';
        }

        AssertRefused(bytes, "path segment");
    }

    [Fact]
    public void A_zero_update_count_is_refused()
    {
        var bytes = Valid("d", [[0, 0]]);
        // count 1, len 2, 0 0  ->  count 0 and three stray bytes.
        bytes[DocIdStart + 1] = 0;
        AssertRefused(bytes, "at least one update");
    }

    [Fact]
    public void A_count_that_cannot_fit_is_refused()
    {
        var bytes = Valid("d", [[0, 0]]);
        bytes[DocIdStart + 1] = 2;
        AssertRefused(bytes, "cannot fit");
    }

    [Fact]
    public void A_count_above_65535_is_refused()
    {
        var bytes = Splice(Valid("d", [[0, 0]]), DocIdStart + 1, 1, [0x80, 0x80, 0x04]);
        AssertRefused(bytes, "larger than 65535");
    }

    [Fact]
    public void A_count_not_in_shortest_form_is_refused()
    {
        var bytes = Splice(Valid("d", [[0, 0]]), DocIdStart + 1, 1, [0x81, 0x00]);
        AssertRefused(bytes, "shortest form");
    }

    [Fact]
    public void A_count_of_endless_continuation_bytes_is_refused()
    {
        var bytes = Splice(Valid("d", [[0, 0]]), DocIdStart + 1, 1, [0x80, 0x80, 0x80, 0x80, 0x80, 0x80]);
        AssertRefused(bytes, "larger than");
    }

    [Fact]
    public void A_count_cut_off_by_the_signature_is_refused()
    {
        // "abcd", then one count byte saying "more follows", then the signature.
        var bytes = Splice(Valid("abcd", [[0, 0]]), DocIdStart + 4, 4, [0x80]);
        AssertRefused(bytes, "truncated");
    }

    [Fact]
    public void An_update_shorter_than_two_bytes_is_refused()
    {
        var bytes = Valid("d", [[0, 0], [0, 0]]);
        // second update: length 2 -> 1, and its first byte becomes a stray trailing byte.
        bytes[DocIdStart + 5] = 1;
        AssertRefused(bytes, "at least 2");
    }

    [Fact]
    public void An_update_longer_than_what_remains_is_refused()
    {
        // Length byte 3 -> 4: allowed as a varint (4 bytes remained before it), but only 3 follow it.
        var bytes = Valid("d", [[0, 0, 0]]);
        bytes[DocIdStart + 2] = 4;
        AssertRefused(bytes, "only");
    }

    [Fact]
    public void Stray_bytes_after_the_last_update_are_refused()
    {
        var bytes = Splice(Valid("d", [[0, 0]]), DocIdStart + 5, 0, [7]);
        AssertRefused(bytes, "follow the last update");
    }

    [Fact]
    public void Bytes_after_the_signature_are_refused_because_they_shift_it()
    {
        // With no length for the signature, an extra byte at the end makes the last update's
        // bytes disagree with the layout, which is a form error, never a silently ignored tail.
        var bytes = Valid("d", [[0, 0]]).Concat(new byte[] { 0 }).ToArray();
        AssertRefused(bytes, "follow the last update");
    }

    [Fact]
    public void Decode_reads_from_a_slice_of_a_larger_buffer()
    {
        var bytes = Valid();
        var padded = new byte[bytes.Length + 10];
        bytes.CopyTo(padded, 5);

        var record = SignedRecordCodec.Decode(padded.AsMemory(5, bytes.Length));

        Assert.True(record.HasValidSignature());
        Assert.Equal(bytes, record.Encoded);
    }

    private static byte[] Valid(string docId = "doc", byte[][]? updates = null)
    {
        using var author = DeviceKey.Generate();
        return SignedRecord.Create(author, SpaceId.NewRandom(), docId, 1, updates ?? [[0, 0], [1, 2, 3]]).Encoded.ToArray();
    }

    private static byte[] Splice(byte[] bytes, int at, int remove, byte[] insert)
        => [.. bytes[..at], .. insert, .. bytes[(at + remove)..]];

    private static void AssertRefused(byte[] bytes, string because)
    {
        var ex = Assert.Throws<RecordFormatException>(() => SignedRecordCodec.Decode(bytes));
        Assert.Contains(because, ex.Message, StringComparison.Ordinal);
    }
}
