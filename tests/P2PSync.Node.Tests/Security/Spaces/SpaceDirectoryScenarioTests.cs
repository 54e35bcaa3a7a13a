using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>Three devices of two people (Alice's laptop and phone, Bob's laptop) passing SpaceStates around, directory only.</summary>
public sealed class SpaceDirectoryScenarioTests
{
    [Fact]
    public void Invite_change_role_remove_and_rotate_reach_every_device_and_the_removed_one_gets_no_new_key()
    {
        using var laptop = new SpaceNode();
        using var phone = new SpaceNode();
        using var bob = new SpaceNode();

        // Alice's laptop creates the space with her phone as a second owner; the phone adopts it.
        var created = laptop.Spaces.Create("Trip", laptop.Key, 10, personal: false, [phone.Id]);
        created.NewKey?.Dispose();
        var space = created.Space.Id;
        Assert.Equal(SpaceStateOutcomeKind.Adopted, phone.Receive(laptop, space).Kind);

        // Bob is invited as editor by the laptop and receives the state (as in a JoinResult).
        laptop.Spaces.AddMember(space, bob.Id, SpaceRole.Editor, laptop.Key);
        Assert.Equal(SpaceStateOutcomeKind.Adopted, bob.Receive(laptop, space).Kind);
        Assert.Equal(SpaceStateOutcomeKind.Changed, phone.Receive(bob, space).Kind);
        Assert.Equal(laptop.KeyBytes(space, 0), bob.KeyBytes(space, 0));

        // The phone demotes Bob to viewer; the laptop and Bob learn it from the phone.
        phone.Spaces.ChangeRole(space, bob.Id, SpaceRole.Viewer, phone.Key);
        Assert.Equal(SpaceStateOutcomeKind.Changed, laptop.Receive(phone, space).Kind);
        Assert.Equal(SpaceStateOutcomeKind.Changed, bob.Receive(phone, space).Kind);
        Assert.All([laptop, phone, bob], node => Assert.Equal(SpaceRole.Viewer, node.Spaces.RoleOf(space, bob.Id)));

        // The laptop removes Bob: the key rotates to epoch 1 and reaches the phone.
        var removal = laptop.Spaces.Remove(space, bob.Id, laptop.Key);
        removal.NewKey?.Dispose();
        var atPhone = phone.Receive(laptop, space);
        Assert.Equal(SpaceStateOutcomeKind.Changed, atPhone.Kind);
        Assert.Equal(1UL, Assert.Single(atPhone.NewKeys).Epoch);
        Assert.Equal(laptop.KeyBytes(space, 1), phone.KeyBytes(space, 1));

        // Bob hears of his removal from either device, but neither sends him the new key.
        Assert.Empty(laptop.Spaces.DescribeFor(space, bob.Id).Keys);
        var atBob = bob.Receive(phone, space);
        Assert.Equal(SpaceStateOutcomeKind.Changed, atBob.Kind);
        Assert.Empty(atBob.NewKeys);
        Assert.Null(bob.KeyBytes(space, 1));
        Assert.False(bob.Spaces.IsMember(space, bob.Id));
        Assert.False(laptop.Spaces.SharesAnySpace(bob.Id));
        Assert.All([laptop, phone, bob], node => Assert.Equal(LogSnapshot.Of(laptop.Spaces.Find(space)!.Log), LogSnapshot.Of(node.Spaces.Find(space)!.Log)));
    }

    [Fact]
    public void A_removed_device_replaying_its_old_state_changes_nothing()
    {
        using var laptop = new SpaceNode();
        using var bob = new SpaceNode();
        var space = laptop.CreateSpace();
        laptop.Spaces.AddMember(space, bob.Id, SpaceRole.Editor, laptop.Key);
        bob.Receive(laptop, space);
        var bobsOldState = bob.Spaces.DescribeFor(space, laptop.Id);

        laptop.Spaces.Remove(space, bob.Id, laptop.Key).NewKey?.Dispose();
        var before = DirectorySnapshot.Of(laptop.Spaces);

        var outcome = laptop.Receive(bobsOldState, bob.Id);

        Assert.Equal(SpaceStateOutcomeKind.Unchanged, outcome.Kind);
        Assert.Equal(before, DirectorySnapshot.Of(laptop.Spaces));
        Assert.False(laptop.Spaces.IsMember(space, bob.Id));
    }

    [Fact]
    public void A_removed_device_cannot_hand_keys_to_members()
    {
        using var laptop = new SpaceNode();
        using var phone = new SpaceNode();
        using var bob = new SpaceNode();
        var created = laptop.Spaces.Create("Trip", laptop.Key, 10, personal: false, [phone.Id]);
        created.NewKey?.Dispose();
        var space = created.Space.Id;
        laptop.Spaces.AddMember(space, bob.Id, SpaceRole.Editor, laptop.Key);
        bob.Receive(laptop, space);
        laptop.Spaces.Remove(space, bob.Id, laptop.Key).NewKey?.Dispose();
        bob.Receive(laptop, space);

        // Bob still holds epoch 0 and describes the space (with it) to the phone, which has never heard of it.
        var fromBob = bob.Spaces.DescribeFor(space, phone.Id);
        var outcome = phone.Receive(fromBob, bob.Id);

        Assert.Equal(SpaceStateOutcomeKind.Adopted, outcome.Kind);
        Assert.Empty(outcome.NewKeys);
        Assert.NotEmpty(fromBob.Keys);
        Assert.Null(phone.KeyBytes(space, 0));
    }

    [Fact]
    public void Two_owners_who_change_the_log_while_apart_refuse_each_others_fork()
    {
        using var laptop = new SpaceNode();
        using var phone = new SpaceNode();
        using var bob = new SpaceNode();
        using var carol = new SpaceNode();
        var created = laptop.Spaces.Create("Trip", laptop.Key, 10, personal: false, [phone.Id]);
        created.NewKey?.Dispose();
        var space = created.Space.Id;
        phone.Receive(laptop, space);

        laptop.Spaces.AddMember(space, bob.Id, SpaceRole.Editor, laptop.Key);
        phone.Spaces.AddMember(space, carol.Id, SpaceRole.Editor, phone.Key);
        var laptopBefore = DirectorySnapshot.Of(laptop.Spaces);
        var phoneBefore = DirectorySnapshot.Of(phone.Spaces);

        Assert.Equal(SpaceStateRefusal.Fork, laptop.Receive(phone, space).Refusal);
        Assert.Equal(SpaceStateRefusal.Fork, phone.Receive(laptop, space).Refusal);
        Assert.Equal(laptopBefore, DirectorySnapshot.Of(laptop.Spaces));
        Assert.Equal(phoneBefore, DirectorySnapshot.Of(phone.Spaces));
    }
}
