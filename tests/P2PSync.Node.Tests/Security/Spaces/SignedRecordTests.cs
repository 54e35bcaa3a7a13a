using System.Buffers.Binary;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>Creating, encoding, decoding and verifying signed records, and every argument the format refuses.</summary>
public sealed class SignedRecordTests
{
    private static readonly byte[] UpdateA = [0, 0];
    private static readonly byte[] UpdateB = [1, 2, 3, 4, 5];

    [Fact]
    public void A_created_record_round_trips_through_its_bytes_and_verifies()
    {
        using var author = DeviceKey.Generate();
        var space = SpaceId.NewRandom();
        var record = SignedRecord.Create(author, space, "notes-1", 7, [UpdateA, UpdateB]);

        var decoded = SignedRecordCodec.Decode(record.Encoded);

        Assert.Equal(space, decoded.Space);
        Assert.Equal(author.Id, decoded.Author);
        Assert.Equal(7UL, decoded.Seq);
        Assert.Equal("notes-1", decoded.DocId);
        Assert.Equal(2, decoded.Updates.Count);
        Assert.Equal(UpdateA, decoded.Updates[0].ToArray());
        Assert.Equal(UpdateB, decoded.Updates[1].ToArray());
        Assert.Equal(record.Encoded, decoded.Encoded);
        Assert.Equal(record.Signature.ToArray(), decoded.Signature.ToArray());
        Assert.Equal(record.Hash.ToArray(), decoded.Hash.ToArray());
        Assert.True(record.HasValidSignature());
        Assert.True(decoded.HasValidSignature());
    }

    [Fact]
    public void Created_updates_are_views_of_the_encoded_bytes_in_order()
    {
        using var author = DeviceKey.Generate();
        var big = new byte[300];
        big.AsSpan().Fill(9);
        var record = SignedRecord.Create(author, SpaceId.NewRandom(), "d", 1, [UpdateB, big]);

        Assert.Equal(UpdateB, record.Updates[0].ToArray());
        Assert.Equal(big, record.Updates[1].ToArray());
        Assert.Equal(record.Encoded.Length - 64, 58 + 1 + 1 + 1 + UpdateB.Length + 2 + big.Length);
    }

    [Fact]
    public void Decode_keeps_its_own_copy_of_the_bytes()
    {
        using var author = DeviceKey.Generate();
        var bytes = SignedRecord.Create(author, SpaceId.NewRandom(), "d", 1, [UpdateB]).Encoded.ToArray();
        var decoded = SignedRecordCodec.Decode(bytes);

        bytes[^70] ^= 1;

        Assert.True(decoded.HasValidSignature());
    }

    [Fact]
    public void DecodeOwned_adopts_the_array_and_checks_the_same_form()
    {
        using var author = DeviceKey.Generate();
        var bytes = SignedRecord.Create(author, SpaceId.NewRandom(), "d", 2, [UpdateB]).Encoded.ToArray();

        var record = SignedRecordCodec.DecodeOwned(bytes);

        Assert.Same(bytes, record.Encoded);
        Assert.Equal(2UL, record.Seq);
        Assert.True(record.HasValidSignature());
        Assert.Throws<RecordFormatException>(() => SignedRecordCodec.DecodeOwned(bytes[..^1]));
        Assert.Throws<ArgumentNullException>(() => SignedRecordCodec.DecodeOwned(null!));
    }

    [Fact]
    public void The_hash_is_blake2b_256_of_the_domain_and_the_unsigned_bytes()
    {
        using var author = DeviceKey.Generate();
        var record = SignedRecord.Create(author, SpaceId.NewRandom(), "d", 1, [UpdateB]);
        var signed = SignedRecordCodec.Domain.ToArray().Concat(record.Encoded[..^64]).ToArray();
        var expected = new byte[32];
        Node.Crypto.Sodium.Blake2b(expected, signed);

        Assert.Equal(expected, record.Hash.ToArray());
        Assert.Equal(25, SignedRecordCodec.Domain.Length);
        Assert.True(Node.Crypto.Sodium.Ed25519Verify(record.Signature, signed, author.PublicKey));
    }

    [Fact]
    public void Two_records_at_one_author_and_seq_with_different_updates_have_different_hashes()
    {
        using var author = DeviceKey.Generate();
        var space = SpaceId.NewRandom();
        var first = SignedRecord.Create(author, space, "d", 3, [UpdateA]);
        var second = SignedRecord.Create(author, space, "d", 3, [UpdateB]);

        Assert.False(first.Hash.SequenceEqual(second.Hash));
    }

    [Fact]
    public void Golden_bytes_are_stable()
    {
        // A fixed seed, space and content: Ed25519 is deterministic, so these bytes never change
        // unless the format does (which would need version 2, not an edit here).
        using var author = DeviceKey.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var space = SpaceId.FromBytes(Enumerable.Range(0xA0, 16).Select(i => (byte)i).ToArray());
        var record = SignedRecord.Create(author, space, "doc", 0x0102030405060708, [UpdateA, UpdateB]);

        var expectedUnsigned = Convert.FromHexString(
            "01" + "A0A1A2A3A4A5A6A7A8A9AAABACADAEAF" + Convert.ToHexString(author.PublicKey)
            + "0102030405060708" + "03" + "646F63" + "02" + "02" + "0000" + "05" + "0102030405");
        Assert.Equal(expectedUnsigned, record.Encoded[..^64]);
        Assert.Equal(GoldenSignatureHex, Convert.ToHexString(record.Signature));
        Assert.Equal(GoldenHashHex, Convert.ToHexString(record.Hash));
    }

    [Fact]
    public void Create_refuses_what_the_format_cannot_carry()
    {
        using var author = DeviceKey.Generate();
        var space = SpaceId.NewRandom();

        Assert.Throws<ArgumentException>(() => SignedRecord.Create(author, default, "d", 1, [UpdateA]));
        Assert.Throws<ArgumentException>(() => SignedRecord.Create(author, space, "", 1, [UpdateA]));
        Assert.Throws<ArgumentException>(() => SignedRecord.Create(author, space, "a/b", 1, [UpdateA]));
        Assert.Throws<ArgumentException>(() => SignedRecord.Create(author, space, "..", 1, [UpdateA]));
        Assert.Throws<ArgumentException>(() => SignedRecord.Create(author, space, new string('x', 129), 1, [UpdateA]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedRecord.Create(author, space, "d", 0, [UpdateA]));
        Assert.Throws<ArgumentException>(() => SignedRecord.Create(author, space, "d", 1, []));
        Assert.Throws<ArgumentException>(() => SignedRecord.Create(author, space, "d", 1, [[1]]));
        Assert.Throws<ArgumentException>(() => SignedRecord.Create(author, space, "d", 1, [null!]));
        Assert.Throws<ArgumentException>(() => SignedRecord.Create(author, space, "d", 1, Enumerable.Repeat(UpdateA, 65536).ToArray()));
        Assert.Throws<ArgumentException>(() => SignedRecord.Create(author, space, "d", 1, [new byte[SignedRecordCodec.MaxRecordBytes]]));
    }

    [Fact]
    public void The_largest_counts_and_ids_round_trip()
    {
        using var author = DeviceKey.Generate();
        var docId = new string('z', 128);
        var record = SignedRecord.Create(author, SpaceId.NewRandom(), docId, ulong.MaxValue, Enumerable.Repeat(UpdateA, 65535).ToArray());

        var decoded = SignedRecordCodec.Decode(record.Encoded);

        Assert.Equal(65535, decoded.Updates.Count);
        Assert.Equal(docId, decoded.DocId);
        Assert.Equal(ulong.MaxValue, decoded.Seq);
        Assert.True(decoded.HasValidSignature());
    }

    [Fact]
    public void A_signature_moved_to_another_record_does_not_verify()
    {
        using var author = DeviceKey.Generate();
        var space = SpaceId.NewRandom();
        var first = SignedRecord.Create(author, space, "d", 1, [UpdateA]);
        var second = SignedRecord.Create(author, space, "d", 2, [UpdateA]);
        var moved = second.Encoded[..^64].Concat(first.Signature.ToArray()).ToArray();

        Assert.False(SignedRecordCodec.Decode(moved).HasValidSignature());
    }

    [Fact]
    public void A_record_claiming_another_author_does_not_verify()
    {
        using var author = DeviceKey.Generate();
        using var other = DeviceKey.Generate();
        var bytes = SignedRecord.Create(author, SpaceId.NewRandom(), "d", 1, [UpdateA]).Encoded.ToArray();
        other.PublicKey.CopyTo(bytes.AsSpan(SignedRecordCodec.AuthorOffset));

        var decoded = SignedRecordCodec.Decode(bytes);

        Assert.Equal(other.Id, decoded.Author);
        Assert.False(decoded.HasValidSignature());
    }

    [Fact]
    public void A_record_moved_to_another_space_or_document_does_not_verify()
    {
        using var author = DeviceKey.Generate();
        var bytes = SignedRecord.Create(author, SpaceId.NewRandom(), "abc", 1, [UpdateA]).Encoded;

        var otherSpace = bytes.ToArray();
        SpaceId.NewRandom().Bytes.CopyTo(otherSpace.AsSpan(SignedRecordCodec.SpaceOffset));
        var otherDoc = bytes.ToArray();
        otherDoc[SignedRecordCodec.FixedHeaderLength] = (byte)'x';
        var otherSeq = bytes.ToArray();
        BinaryPrimitives.WriteUInt64BigEndian(otherSeq.AsSpan(SignedRecordCodec.SeqOffset), 2);

        Assert.False(SignedRecordCodec.Decode(otherSpace).HasValidSignature());
        Assert.False(SignedRecordCodec.Decode(otherDoc).HasValidSignature());
        Assert.False(SignedRecordCodec.Decode(otherSeq).HasValidSignature());
    }

    [Fact]
    public void ToString_names_author_seq_doc_and_space()
    {
        using var author = DeviceKey.Generate();
        var space = SpaceId.NewRandom();
        var text = SignedRecord.Create(author, space, "d", 4, [UpdateA]).ToString();

        Assert.Contains(author.Id.ToShortString(), text, StringComparison.Ordinal);
        Assert.Contains("#4", text, StringComparison.Ordinal);
        Assert.Contains(space.ToString(), text, StringComparison.Ordinal);
    }

    // Computed independently of this code base (Python "cryptography" Ed25519 and hashlib BLAKE2b over
    // the domain label and the unsigned bytes above), so the golden values check the C# signing path.
    private const string GoldenSignatureHex =
        "B712AA94AA31885FD67A605F1BA27278F4AD427F69F20E39B0A99614ACE5CF6D131BDA444BAE4862DF35C9C4A0E7A43463B64B54657C6683D7BADCBFAECB1106";

    private const string GoldenHashHex = "A026CE41FD02E25BBD8DB8DC81C07E395134C482BFC958D1F936B142982140B6";
}
