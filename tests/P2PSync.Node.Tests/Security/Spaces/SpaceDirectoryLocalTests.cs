using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>Local changes: create, add, change role, remove (with rotation), load, and their refusals.</summary>
public sealed class SpaceDirectoryLocalTests
{
    [Fact]
    public void Create_signs_a_genesis_adds_the_other_owners_and_makes_an_epoch_zero_key()
    {
        using var alice = new SpaceNode();
        using var phone = DeviceKey.Generate();
        using var tablet = DeviceKey.Generate();

        // Self and a duplicate in the list are skipped: the log holds each owner once.
        var change = alice.Spaces.Create("Holiday plans", alice.Key, 1_234, personal: false, [phone.Id, tablet.Id, phone.Id, alice.Id]);
        using var key = change.NewKey;

        var space = change.Space;
        Assert.Equal("Holiday plans", space.Name);
        Assert.Equal(1_234, space.CreatedMs);
        Assert.False(space.Personal);
        Assert.Equal(3, change.NewEntries.Count);
        Assert.Equal(space.Log.Entries, change.NewEntries);
        Assert.Equal(alice.Id, change.NewEntries[0].Subject);
        Assert.All(change.NewEntries, e => Assert.Equal(SpaceRole.Owner, e.Role));
        Assert.Equal(SpaceRole.Owner, alice.Spaces.RoleOf(space.Id, tablet.Id));
        Assert.NotNull(key);
        Assert.Equal(0UL, key.Epoch);
        Assert.Equal(key.Bytes.ToArray(), alice.KeyBytes(space.Id, 0));
        Assert.Same(space, alice.Spaces.Find(space.Id));
        Assert.Equal([space], alice.Spaces.All);
        Assert.Null(alice.Spaces.Personal);
    }

    [Fact]
    public void The_returned_key_is_the_callers_copy()
    {
        using var alice = new SpaceNode();
        var change = alice.Spaces.Create("notes", alice.Key, 1, personal: false, []);
        var bytes = change.NewKey!.Bytes.ToArray();
        change.NewKey.Dispose();
        Assert.Equal(bytes, alice.KeyBytes(change.Space.Id, 0));
    }

    [Fact]
    public void Only_one_personal_space_can_be_created_or_loaded()
    {
        using var alice = new SpaceNode();
        var personal = alice.Spaces.Create("Personal", alice.Key, 1, personal: true, []);
        personal.NewKey?.Dispose();
        Assert.Same(personal.Space, alice.Spaces.Personal);

        var before = DirectorySnapshot.Of(alice.Spaces);
        Assert.Throws<ArgumentException>(() => alice.Spaces.Create("Other", alice.Key, 1, personal: true, []));

        using var other = new SpaceNode();
        var foreign = other.Spaces.Create("Personal", other.Key, 1, personal: true, []);
        foreign.NewKey?.Dispose();
        var copy = Space.Restore(foreign.Space.Id, "Personal", personal: true, 1, foreign.NewEntries.Select(MembershipEntryCodec.Encode), []);
        Assert.Throws<ArgumentException>(() => alice.Spaces.Load(copy));
        Assert.Equal(before, DirectorySnapshot.Of(alice.Spaces));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" padded")]
    [InlineData("bell\u0007")]
    [InlineData("rtl\u202Eoverride")]
    public void Create_refuses_names_the_name_rules_refuse(string name)
    {
        using var alice = new SpaceNode();
        var ex = Assert.Throws<ArgumentException>(() => alice.Spaces.Create(name, alice.Key, 1, personal: false, []));
        Assert.Contains("space name", ex.Message, StringComparison.Ordinal);
        Assert.Empty(alice.Spaces.All);
    }

    [Fact]
    public void Create_refuses_a_name_longer_than_the_limit()
    {
        using var alice = new SpaceNode();
        Assert.Throws<ArgumentException>(() => alice.Spaces.Create(new string('n', 201), alice.Key, 1, personal: false, []));
        Assert.Empty(alice.Spaces.All);
    }

    [Fact]
    public void AddMember_and_ChangeRole_append_one_signed_entry_each()
    {
        using var alice = new SpaceNode();
        using var bob = DeviceKey.Generate();
        var space = alice.CreateSpace();

        var added = alice.Spaces.AddMember(space, bob.Id, SpaceRole.Editor, alice.Key);
        Assert.Null(added.NewKey);
        var entry = Assert.Single(added.NewEntries);
        Assert.Equal(MembershipEntryKind.AddMember, entry.Kind);
        Assert.True(entry.HasValidSignature());
        Assert.Equal(SpaceRole.Editor, alice.Spaces.RoleOf(space, bob.Id));
        Assert.True(alice.Spaces.IsMember(space, bob.Id));
        Assert.True(alice.Spaces.SharesAnySpace(bob.Id));
        Assert.Equal([space], alice.Spaces.SharedWith(bob.Id).Select(s => s.Id));

        var changed = alice.Spaces.ChangeRole(space, bob.Id, SpaceRole.Viewer, alice.Key);
        Assert.Equal(MembershipEntryKind.ChangeRole, Assert.Single(changed.NewEntries).Kind);
        Assert.Equal(SpaceRole.Viewer, alice.Spaces.RoleOf(space, bob.Id));
        Assert.Equal(3, alice.Spaces.Find(space)!.Log.Entries.Count);
    }

    [Fact]
    public void Refused_local_changes_throw_the_logs_refusal_and_change_nothing()
    {
        using var alice = new SpaceNode();
        using var bob = new SpaceNode();
        using var stranger = DeviceKey.Generate();
        var space = alice.CreateSpace();
        alice.Spaces.AddMember(space, bob.Id, SpaceRole.Editor, alice.Key);
        Assert.Equal(SpaceStateOutcomeKind.Adopted, bob.Receive(alice, space).Kind);

        var aliceBefore = DirectorySnapshot.Of(alice.Spaces);
        var bobBefore = DirectorySnapshot.Of(bob.Spaces);
        Assert.Equal(MembershipRefusal.AlreadyMember, Assert.Throws<MembershipException>(() => alice.Spaces.AddMember(space, bob.Id, SpaceRole.Viewer, alice.Key)).Refusal);
        Assert.Equal(MembershipRefusal.NotAMember, Assert.Throws<MembershipException>(() => alice.Spaces.ChangeRole(space, stranger.Id, SpaceRole.Viewer, alice.Key)).Refusal);
        Assert.Equal(MembershipRefusal.LastOwner, Assert.Throws<MembershipException>(() => alice.Spaces.ChangeRole(space, alice.Id, SpaceRole.Editor, alice.Key)).Refusal);
        Assert.Equal(MembershipRefusal.NotAMember, Assert.Throws<MembershipException>(() => alice.Spaces.Remove(space, stranger.Id, alice.Key)).Refusal);

        // Bob is an editor: his directory signs with his key and the log refuses his authority.
        Assert.Equal(MembershipRefusal.NotAnOwner, Assert.Throws<MembershipException>(() => bob.Spaces.AddMember(space, stranger.Id, SpaceRole.Viewer, bob.Key)).Refusal);
        Assert.Equal(MembershipRefusal.NotAnOwner, Assert.Throws<MembershipException>(() => bob.Spaces.Remove(space, alice.Id, bob.Key)).Refusal);

        Assert.Equal(aliceBefore, DirectorySnapshot.Of(alice.Spaces));
        Assert.Equal(bobBefore, DirectorySnapshot.Of(bob.Spaces));
    }

    [Fact]
    public void Remove_appends_RemoveMember_and_RotateKey_and_makes_a_fresh_key()
    {
        using var alice = new SpaceNode();
        using var bob = DeviceKey.Generate();
        var space = alice.CreateSpace();
        alice.Spaces.AddMember(space, bob.Id, SpaceRole.Editor, alice.Key);

        var change = alice.Spaces.Remove(space, bob.Id, alice.Key);
        using var key = change.NewKey;

        Assert.Equal([MembershipEntryKind.RemoveMember, MembershipEntryKind.RotateKey], change.NewEntries.Select(e => e.Kind));
        Assert.Equal(1UL, change.NewEntries[1].Epoch);
        Assert.NotNull(key);
        Assert.Equal(1UL, key.Epoch);
        Assert.NotEqual(alice.KeyBytes(space, 0), alice.KeyBytes(space, 1));
        Assert.Equal(key.Bytes.ToArray(), alice.KeyBytes(space, 1));
        Assert.Equal(1UL, alice.Spaces.Find(space)!.Log.CurrentEpoch);
        Assert.False(alice.Spaces.IsMember(space, bob.Id));
        Assert.False(alice.Spaces.SharesAnySpace(bob.Id));
        Assert.Empty(alice.Spaces.SharedWith(bob.Id));
    }

    [Fact]
    public void A_device_cannot_remove_itself()
    {
        using var alice = new SpaceNode();
        using var phone = DeviceKey.Generate();
        var change = alice.Spaces.Create("notes", alice.Key, 1, personal: false, [phone.Id]);
        change.NewKey?.Dispose();
        var before = DirectorySnapshot.Of(alice.Spaces);

        Assert.Throws<InvalidOperationException>(() => alice.Spaces.Remove(change.Space.Id, alice.Id, alice.Key));
        Assert.Equal(before, DirectorySnapshot.Of(alice.Spaces));
    }

    [Fact]
    public void Changes_to_an_unknown_space_are_refused()
    {
        using var alice = new SpaceNode();
        using var bob = DeviceKey.Generate();
        var unknown = SpaceId.NewRandom();
        Assert.Throws<KeyNotFoundException>(() => alice.Spaces.AddMember(unknown, bob.Id, SpaceRole.Editor, alice.Key));
        Assert.Throws<KeyNotFoundException>(() => alice.Spaces.ChangeRole(unknown, bob.Id, SpaceRole.Editor, alice.Key));
        Assert.Throws<KeyNotFoundException>(() => alice.Spaces.Remove(unknown, bob.Id, alice.Key));
        Assert.Throws<KeyNotFoundException>(() => alice.Spaces.DescribeFor(unknown, bob.Id));
        Assert.Null(alice.Spaces.RoleOf(unknown, alice.Id));
        Assert.False(alice.Spaces.IsMember(unknown, alice.Id));
    }

    [Fact]
    public void A_space_restored_from_stored_entries_and_keys_loads_with_the_same_members_and_keys()
    {
        using var alice = new SpaceNode();
        using var bob = DeviceKey.Generate();
        var space = alice.CreateSpace("kept");
        alice.Spaces.AddMember(space, bob.Id, SpaceRole.Viewer, alice.Key);
        alice.Spaces.Remove(space, bob.Id, alice.Key).NewKey?.Dispose();
        var original = alice.Spaces.Find(space)!;

        using var key0 = new SpaceKey(0, alice.KeyBytes(space, 0));
        using var key1 = new SpaceKey(1, alice.KeyBytes(space, 1));
        var restored = Space.Restore(space, "kept", personal: true, 77, original.Log.Entries.Select(MembershipEntryCodec.Encode), [key0, key1]);
        using var other = new SpaceNode();
        other.Spaces.Load(restored);

        Assert.Same(restored, other.Spaces.Personal);
        Assert.Equal(LogSnapshot.Of(original.Log), LogSnapshot.Of(restored.Log));
        Assert.Equal([0UL, 1UL], restored.Keys.Epochs);
        Assert.Equal(alice.KeyBytes(space, 1), other.KeyBytes(space, 1));
        Assert.Throws<ArgumentException>(() => other.Spaces.Load(restored));
    }

    [Fact]
    public void Restore_refuses_entries_that_are_not_a_valid_log()
    {
        using var alice = new SpaceNode();
        using var bob = DeviceKey.Generate();
        var space = alice.CreateSpace();
        alice.Spaces.AddMember(space, bob.Id, SpaceRole.Editor, alice.Key);
        var entries = alice.Spaces.Find(space)!.Log.Entries.Select(MembershipEntryCodec.Encode).ToList();

        Assert.Throws<MembershipException>(() => Space.Restore(space, "x", false, 1, [entries[1]], []));
        Assert.Throws<MembershipFormatException>(() => Space.Restore(space, "x", false, 1, [entries[0][..10]], []));
        Assert.Throws<MembershipException>(() => Space.Restore(SpaceId.NewRandom(), "x", false, 1, entries, []));
        using var a = SpaceKey.Generate(0);
        using var b = SpaceKey.Generate(0);
        Assert.Throws<SpaceKeyException>(() => Space.Restore(space, "x", false, 1, entries, [a, b]));
    }

    [Fact]
    public void Dispose_wipes_every_held_key()
    {
        var alice = new SpaceNode();
        var space = alice.CreateSpace();
        var ring = alice.Spaces.Find(space)!.Keys;
        alice.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ring.TryGet(0, out _));
    }
}
