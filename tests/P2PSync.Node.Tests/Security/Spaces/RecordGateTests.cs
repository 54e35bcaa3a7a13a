using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>Every refusal of <see cref="RecordGate"/>, and that the signature is checked only after the cheap checks pass.</summary>
public sealed class RecordGateTests
{
    private static readonly byte[] Update = [0, 0];

    [Fact]
    public void Owners_and_editors_records_are_accepted()
    {
        using var space = new TestSpace();
        using var editor = DeviceKey.Generate();
        space.Apply(space.NextAdd(space.Owner, editor.Id, SpaceRole.Editor));

        Assert.Null(RecordGate.Check(SignedRecord.Create(space.Owner, space.Id, "d", 1, [Update]), "d", space.Id, space.Log));
        Assert.Null(RecordGate.Check(Decoded(editor, space.Id, "d"), "d", space.Id, space.Log));
    }

    [Fact]
    public void A_record_for_another_document_is_refused()
    {
        using var space = new TestSpace();
        Assert.Equal(RecordRefusal.WrongDocument, RecordGate.Check(Decoded(space.Owner, space.Id, "other"), "d", space.Id, space.Log));
    }

    [Fact]
    public void A_record_for_another_space_is_refused()
    {
        using var space = new TestSpace();
        Assert.Equal(RecordRefusal.WrongSpace, RecordGate.Check(Decoded(space.Owner, SpaceId.NewRandom(), "d"), "d", space.Id, space.Log));
    }

    [Fact]
    public void A_record_for_a_space_without_a_log_is_refused()
    {
        using var author = DeviceKey.Generate();
        var spaceId = SpaceId.NewRandom();
        Assert.Equal(RecordRefusal.UnknownSpace, RecordGate.Check(Decoded(author, spaceId, "d"), "d", spaceId, null));
    }

    [Fact]
    public void A_record_by_a_stranger_is_refused()
    {
        using var space = new TestSpace();
        using var stranger = DeviceKey.Generate();
        Assert.Equal(RecordRefusal.NotAMember, RecordGate.Check(Decoded(stranger, space.Id, "d"), "d", space.Id, space.Log));
    }

    [Fact]
    public void A_record_by_a_removed_member_is_refused()
    {
        using var space = new TestSpace();
        using var editor = DeviceKey.Generate();
        space.Apply(space.NextAdd(space.Owner, editor.Id, SpaceRole.Editor));
        var record = Decoded(editor, space.Id, "d");
        Assert.Null(RecordGate.Check(record, "d", space.Id, space.Log));

        space.Apply(space.NextRemove(space.Owner, editor.Id));

        Assert.Equal(RecordRefusal.NotAMember, RecordGate.Check(record, "d", space.Id, space.Log));
    }

    [Fact]
    public void A_record_by_a_viewer_is_refused_as_read_only()
    {
        using var space = new TestSpace();
        using var viewer = DeviceKey.Generate();
        space.Apply(space.NextAdd(space.Owner, viewer.Id, SpaceRole.Viewer));
        Assert.Equal(RecordRefusal.ReadOnly, RecordGate.Check(Decoded(viewer, space.Id, "d"), "d", space.Id, space.Log));
    }

    [Fact]
    public void A_forged_record_in_a_members_name_is_refused()
    {
        using var space = new TestSpace();
        var bytes = SignedRecord.Create(space.Owner, space.Id, "d", 1, [[5, 5, 5]]).Encoded.ToArray();
        bytes[^65] ^= 0x01;   // the last update byte: content the owner never signed

        Assert.Equal(RecordRefusal.BadSignature, RecordGate.Check(SignedRecordCodec.Decode(bytes), "d", space.Id, space.Log));
    }

    [Fact]
    public void A_forged_record_by_a_non_member_is_refused_before_its_signature_is_checked()
    {
        // Cheap first: the membership answer comes without verifying, so floods of outsiders' records cost no Ed25519.
        using var space = new TestSpace();
        using var stranger = DeviceKey.Generate();
        var bytes = SignedRecord.Create(stranger, space.Id, "d", 1, [Update]).Encoded.ToArray();
        bytes[^1] ^= 0x01;

        Assert.Equal(RecordRefusal.NotAMember, RecordGate.Check(SignedRecordCodec.Decode(bytes), "d", space.Id, space.Log));
    }

    [Fact]
    public void A_log_of_another_space_is_a_caller_bug()
    {
        using var space = new TestSpace();
        var otherSpace = SpaceId.NewRandom();
        Assert.Throws<ArgumentException>(() => RecordGate.Check(Decoded(space.Owner, otherSpace, "d"), "d", otherSpace, space.Log));
    }

    [Theory]
    [InlineData((int)RecordRefusal.BadSignature, "signature")]
    [InlineData((int)RecordRefusal.WrongDocument, "another document")]
    [InlineData((int)RecordRefusal.WrongSpace, "another space")]
    [InlineData((int)RecordRefusal.UnknownSpace, "do not know")]
    [InlineData((int)RecordRefusal.NotAMember, "not a member")]
    [InlineData((int)RecordRefusal.ReadOnly, "viewer")]
    public void Every_refusal_has_a_log_line(int refusal, string words)
    {
        using var author = DeviceKey.Generate();
        var record = Decoded(author, SpaceId.NewRandom(), "d");
        var line = RecordGate.Describe(record, (RecordRefusal)refusal, author.Id);

        Assert.Contains(words, line, StringComparison.Ordinal);
        Assert.Contains(author.Id.ToShortString(), line, StringComparison.Ordinal);
    }

    // Decoded from bytes, as a record from a peer arrives (its signature not yet known to be valid).
    private static SignedRecord Decoded(DeviceKey author, SpaceId space, string docId)
        => SignedRecordCodec.Decode(SignedRecord.Create(author, space, docId, 1, [Update]).Encoded);
}
