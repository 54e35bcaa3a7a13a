using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Tests.Security.Spaces;

public sealed class MembershipLogTests : IDisposable
{
    private readonly TestSpace _space = new();
    private readonly DeviceKey _editor = DeviceKey.Generate();
    private readonly DeviceKey _viewer = DeviceKey.Generate();
    private readonly DeviceKey _stranger = DeviceKey.Generate();

    public void Dispose()
    {
        _space.Dispose();
        _editor.Dispose();
        _viewer.Dispose();
        _stranger.Dispose();
    }

    [Fact]
    public void Genesis_makes_the_creator_the_only_owner_at_epoch_zero()
    {
        var log = _space.Log;
        Assert.Equal(SpaceRole.Owner, log.RoleOf(_space.Owner.Id));
        Assert.Single(log.Members);
        Assert.Equal(0UL, log.CurrentEpoch);
        Assert.Equal(1UL, log.NextSequence);
        Assert.True(log.HeadHash.SequenceEqual(_space.Genesis.Hash));
        Assert.True(log.CanWrite(_space.Owner.Id));
        Assert.Null(log.RoleOf(_stranger.Id));
        Assert.False(log.CanWrite(_stranger.Id));
    }

    [Fact]
    public void Owner_adds_changes_removes_and_rotates()
    {
        var log = _space.Log;
        _space.Apply(_space.NextAdd(_space.Owner, _editor.Id, SpaceRole.Editor));
        _space.Apply(_space.NextAdd(_space.Owner, _viewer.Id, SpaceRole.Viewer));
        Assert.Equal(3, log.Members.Count);
        Assert.True(log.CanWrite(_editor.Id));
        Assert.False(log.CanWrite(_viewer.Id));
        Assert.Equal(SpaceRole.Viewer, log.RoleOf(_viewer.Id));

        _space.Apply(_space.NextChange(_space.Owner, _viewer.Id, SpaceRole.Editor));
        Assert.True(log.CanWrite(_viewer.Id));
        _space.Apply(_space.NextChange(_space.Owner, _editor.Id, SpaceRole.Owner));
        Assert.Equal(SpaceRole.Owner, log.RoleOf(_editor.Id));

        // The promoted owner now manages the space too.
        _space.Apply(_space.NextRemove(_editor, _viewer.Id));
        Assert.Null(log.RoleOf(_viewer.Id));
        Assert.False(log.CanWrite(_viewer.Id));
        _space.Apply(_space.NextRotate(_editor, 1));
        Assert.Equal(1UL, log.CurrentEpoch);
        _space.Apply(_space.NextRotate(_space.Owner, 2));
        Assert.Equal(2UL, log.CurrentEpoch);

        Assert.Equal(8, log.Entries.Count);
        Assert.Equal(8UL, log.NextSequence);
        Assert.Equal(2, log.Members.Count);
    }

    [Fact]
    public void Another_device_replaying_the_same_entries_reaches_the_same_state()
    {
        _space.Apply(_space.NextAdd(_space.Owner, _editor.Id, SpaceRole.Editor));
        _space.Apply(_space.NextAdd(_space.Owner, _viewer.Id, SpaceRole.Viewer));
        _space.Apply(_space.NextRemove(_space.Owner, _viewer.Id));
        _space.Apply(_space.NextRotate(_space.Owner, 1));

        var copy = new MembershipLog(_space.Id);
        foreach (var entry in _space.Log.Entries)
        {
            Assert.True(copy.Apply(MembershipEntryCodec.Read(MembershipEntryCodec.Encode(entry))));
        }

        Assert.Equal(LogSnapshot.Of(_space.Log), LogSnapshot.Of(copy));
    }

    [Fact]
    public void Duplicates_of_applied_entries_are_ignored()
    {
        var add = _space.NextAdd(_space.Owner, _editor.Id, SpaceRole.Editor);
        _space.Apply(add);
        var before = LogSnapshot.Of(_space.Log);

        Assert.False(_space.Log.Apply(add));
        Assert.False(_space.Log.Apply(_space.Genesis));
        Assert.False(_space.Log.Apply(MembershipEntryCodec.Read(MembershipEntryCodec.Encode(add))));
        Assert.Equal(before, LogSnapshot.Of(_space.Log));
    }

    [Fact]
    public void Replayed_old_add_after_removal_does_not_bring_the_member_back()
    {
        var add = _space.NextAdd(_space.Owner, _viewer.Id, SpaceRole.Viewer);
        _space.Apply(add);
        _space.Apply(_space.NextRemove(_space.Owner, _viewer.Id));
        _space.Apply(_space.NextRotate(_space.Owner, 1));

        // The exact old entry is recognised as already applied at its own position: nothing happens.
        Assert.False(_space.Log.Apply(add));
        Assert.Null(_space.Log.RoleOf(_viewer.Id));

        // Re-positioned at the head with its old signature, it is refused.
        var moved = new MembershipEntry(
            add.Kind, add.Space, _space.Log.NextSequence, _space.Log.HeadHash, add.Author, add.Subject, add.Role, add.Epoch, add.Signature);
        _space.AssertRefused(moved, MembershipRefusal.BadSignature);
        Assert.Null(_space.Log.RoleOf(_viewer.Id));
    }

    [Fact]
    public void Entries_not_signed_by_an_owner_are_refused()
    {
        _space.Apply(_space.NextAdd(_space.Owner, _editor.Id, SpaceRole.Editor));
        _space.Apply(_space.NextAdd(_space.Owner, _viewer.Id, SpaceRole.Viewer));

        _space.AssertRefused(_space.NextAdd(_editor, _stranger.Id, SpaceRole.Editor), MembershipRefusal.NotAnOwner);
        _space.AssertRefused(_space.NextChange(_viewer, _viewer.Id, SpaceRole.Owner), MembershipRefusal.NotAnOwner);
        _space.AssertRefused(_space.NextRemove(_editor, _space.Owner.Id), MembershipRefusal.NotAnOwner);
        _space.AssertRefused(_space.NextRotate(_editor, 1), MembershipRefusal.NotAnOwner);
        _space.AssertRefused(_space.NextAdd(_stranger, _stranger.Id, SpaceRole.Owner), MembershipRefusal.NotAnOwner);
    }

    [Fact]
    public void A_removed_owner_can_no_longer_sign()
    {
        _space.Apply(_space.NextAdd(_space.Owner, _editor.Id, SpaceRole.Owner));
        _space.Apply(_space.NextRemove(_space.Owner, _editor.Id));
        _space.AssertRefused(_space.NextAdd(_editor, _editor.Id, SpaceRole.Owner), MembershipRefusal.NotAnOwner);
    }

    [Fact]
    public void Bad_signature_is_refused()
    {
        var entry = _space.NextAdd(_space.Owner, _editor.Id, SpaceRole.Editor);
        var signature = entry.Signature.ToArray();
        signature[10] ^= 0x01;
        var forged = new MembershipEntry(
            entry.Kind, entry.Space, entry.Sequence, entry.PreviousHash, entry.Author, entry.Subject, entry.Role, entry.Epoch, signature);
        _space.AssertRefused(forged, MembershipRefusal.BadSignature);

        // Someone else's valid signature over the same bytes, claimed as the owner's.
        var byStranger = MembershipEntry.AddMember(_space.Id, entry.Sequence, entry.PreviousHash, _stranger, _editor.Id, SpaceRole.Editor);
        var claimed = new MembershipEntry(
            entry.Kind, entry.Space, entry.Sequence, entry.PreviousHash, _space.Owner.Id, entry.Subject, entry.Role, entry.Epoch, byStranger.Signature);
        _space.AssertRefused(claimed, MembershipRefusal.BadSignature);
    }

    [Fact]
    public void Signature_moved_to_another_entry_is_refused()
    {
        var addEditor = _space.NextAdd(_space.Owner, _editor.Id, SpaceRole.Editor);
        var moved = new MembershipEntry(
            addEditor.Kind, addEditor.Space, addEditor.Sequence, addEditor.PreviousHash, addEditor.Author, _stranger.Id, SpaceRole.Owner, 0, addEditor.Signature);
        _space.AssertRefused(moved, MembershipRefusal.BadSignature);

        var rotate = _space.NextRotate(_space.Owner, 1);
        var asRemoval = new MembershipEntry(
            MembershipEntryKind.RemoveMember, rotate.Space, rotate.Sequence, rotate.PreviousHash, rotate.Author, _space.Owner.Id, 0, 0, rotate.Signature);
        _space.AssertRefused(asRemoval, MembershipRefusal.BadSignature);
    }

    [Fact]
    public void Entry_for_another_space_is_refused_even_when_validly_signed()
    {
        var other = SpaceId.NewRandom();
        var entry = MembershipEntry.AddMember(other, _space.Log.NextSequence, _space.Log.HeadHash, _space.Owner, _editor.Id, SpaceRole.Editor);
        _space.AssertRefused(entry, MembershipRefusal.WrongSpace);

        // Nor can the space id be swapped while keeping the signature.
        var swapped = new MembershipEntry(
            entry.Kind, _space.Id, entry.Sequence, entry.PreviousHash, entry.Author, entry.Subject, entry.Role, entry.Epoch, entry.Signature);
        _space.AssertRefused(swapped, MembershipRefusal.BadSignature);
    }

    [Fact]
    public void Fork_at_an_applied_sequence_is_refused()
    {
        var prev = _space.Log.HeadHash.ToArray();
        _space.Apply(_space.NextAdd(_space.Owner, _editor.Id, SpaceRole.Editor));
        var rival = MembershipEntry.AddMember(_space.Id, 1, prev, _space.Owner, _viewer.Id, SpaceRole.Viewer);
        _space.AssertRefused(rival, MembershipRefusal.Fork);

        var rivalGenesis = MembershipEntry.AddMember(_space.Id, 0, new byte[MembershipEntry.HashLength], _stranger, _stranger.Id, SpaceRole.Owner);
        _space.AssertRefused(rivalGenesis, MembershipRefusal.Fork);
    }

    [Fact]
    public void Gap_and_broken_chain_are_refused()
    {
        var ahead = MembershipEntry.AddMember(_space.Id, _space.Log.NextSequence + 1, _space.Log.HeadHash, _space.Owner, _editor.Id, SpaceRole.Editor);
        _space.AssertRefused(ahead, MembershipRefusal.Gap);

        var wrongPrev = new byte[MembershipEntry.HashLength];
        wrongPrev[0] = 1;
        var unchained = MembershipEntry.AddMember(_space.Id, _space.Log.NextSequence, wrongPrev, _space.Owner, _editor.Id, SpaceRole.Editor);
        _space.AssertRefused(unchained, MembershipRefusal.BrokenChain);
    }

    [Fact]
    public void Removing_or_demoting_the_last_owner_is_refused()
    {
        _space.Apply(_space.NextAdd(_space.Owner, _editor.Id, SpaceRole.Editor));
        _space.AssertRefused(_space.NextRemove(_space.Owner, _space.Owner.Id), MembershipRefusal.LastOwner);
        _space.AssertRefused(_space.NextChange(_space.Owner, _space.Owner.Id, SpaceRole.Editor), MembershipRefusal.LastOwner);

        // With a second owner, the first may step down.
        _space.Apply(_space.NextChange(_space.Owner, _editor.Id, SpaceRole.Owner));
        _space.Apply(_space.NextRemove(_space.Owner, _space.Owner.Id));
        Assert.Null(_space.Log.RoleOf(_space.Owner.Id));
        _space.AssertRefused(_space.NextRemove(_editor, _editor.Id), MembershipRefusal.LastOwner);
    }

    [Fact]
    public void Membership_rules_are_enforced()
    {
        _space.Apply(_space.NextAdd(_space.Owner, _editor.Id, SpaceRole.Editor));
        _space.AssertRefused(_space.NextAdd(_space.Owner, _editor.Id, SpaceRole.Viewer), MembershipRefusal.AlreadyMember);
        _space.AssertRefused(_space.NextChange(_space.Owner, _stranger.Id, SpaceRole.Editor), MembershipRefusal.NotAMember);
        _space.AssertRefused(_space.NextRemove(_space.Owner, _stranger.Id), MembershipRefusal.NotAMember);
        _space.AssertRefused(_space.NextRotate(_space.Owner, 0), MembershipRefusal.BadEpoch);
        _space.AssertRefused(_space.NextRotate(_space.Owner, 2), MembershipRefusal.BadEpoch);
    }

    [Fact]
    public void Genesis_must_be_the_author_adding_itself_as_owner()
    {
        var id = SpaceId.NewRandom();
        var log = new MembershipLog(id);
        var zero = new byte[MembershipEntry.HashLength];
        AssertRefusedOnEmpty(log, MembershipEntry.AddMember(id, 0, zero, _editor, _viewer.Id, SpaceRole.Owner), MembershipRefusal.BadGenesis);
        AssertRefusedOnEmpty(log, MembershipEntry.AddMember(id, 0, zero, _editor, _editor.Id, SpaceRole.Editor), MembershipRefusal.BadGenesis);
        AssertRefusedOnEmpty(log, MembershipEntry.RotateKey(id, 0, zero, _editor, 1), MembershipRefusal.BadGenesis);
        AssertRefusedOnEmpty(log, MembershipEntry.AddMember(id, 1, zero, _editor, _editor.Id, SpaceRole.Owner), MembershipRefusal.Gap);
        var notZero = new byte[MembershipEntry.HashLength];
        notZero[^1] = 1;
        AssertRefusedOnEmpty(log, MembershipEntry.AddMember(id, 0, notZero, _editor, _editor.Id, SpaceRole.Owner), MembershipRefusal.BrokenChain);

        Assert.True(log.Apply(MembershipEntry.AddMember(id, 0, zero, _editor, _editor.Id, SpaceRole.Owner)));
        Assert.Equal(SpaceRole.Owner, log.RoleOf(_editor.Id));
    }

    private static void AssertRefusedOnEmpty(MembershipLog log, MembershipEntry entry, MembershipRefusal refusal)
    {
        var ex = Assert.Throws<MembershipException>(() => log.Apply(entry));
        Assert.Equal(refusal, ex.Refusal);
        Assert.Empty(log.Members);
        Assert.Equal(0UL, log.NextSequence);
    }
}
