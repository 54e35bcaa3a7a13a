using Google.Protobuf;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>DescribeFor and ApplyState: adoption, updates, and every way a peer's state is refused or its keys ignored.</summary>
public sealed class SpaceDirectoryStateTests
{
    [Fact]
    public void A_member_is_described_every_entry_and_every_key_wrapped_to_it()
    {
        using var alice = new SpaceNode();
        using var bob = DeviceKey.Generate();
        using var carol = DeviceKey.Generate();
        var space = alice.CreateSpace("shared");
        alice.Spaces.AddMember(space, bob.Id, SpaceRole.Viewer, alice.Key);
        alice.Spaces.AddMember(space, carol.Id, SpaceRole.Editor, alice.Key);
        alice.Spaces.Remove(space, carol.Id, alice.Key).NewKey?.Dispose();

        var state = alice.Spaces.DescribeFor(space, bob.Id);
        Assert.Equal(space.Bytes.ToArray(), state.SpaceId.ToByteArray());
        Assert.Equal("shared", state.Name);
        Assert.Equal(alice.Spaces.Find(space)!.Log.Entries.Select(MembershipEntryCodec.Encode), state.Entries.Select(e => e.ToByteArray()));
        Assert.Equal([0UL, 1UL], state.Keys.Select(k => k.Epoch));
        using var unwrapped = SpaceKeyWrap.Unwrap(state.Keys[1].SealedKey.Span, 1, bob);
        Assert.Equal(alice.KeyBytes(space, 1), unwrapped.Bytes.ToArray());

        // The removed device still learns the log (and so that it was removed), but gets no key.
        var removed = alice.Spaces.DescribeFor(space, carol.Id);
        Assert.Equal(state.Entries, removed.Entries);
        Assert.Empty(removed.Keys);
    }

    [Fact]
    public void A_device_added_to_an_unknown_space_adopts_it_with_its_keys()
    {
        using var alice = new SpaceNode();
        using var bob = new SpaceNode();
        var space = alice.CreateSpace("shared");
        alice.Spaces.AddMember(space, bob.Id, SpaceRole.Editor, alice.Key);
        bob.Time.Advance(TimeSpan.FromSeconds(5));

        var outcome = bob.Receive(alice, space);

        Assert.Equal(SpaceStateOutcomeKind.Adopted, outcome.Kind);
        Assert.True(outcome.HasChanges);
        Assert.Null(outcome.Reason);
        Assert.Null(outcome.Refusal);
        Assert.Empty(outcome.Notes);
        Assert.Equal(2, outcome.NewEntries.Count);
        var key = Assert.Single(outcome.NewKeys);
        Assert.Equal(alice.KeyBytes(space, 0), key.Bytes.ToArray());
        var adopted = bob.Spaces.Find(space)!;
        Assert.Same(adopted, outcome.Space);
        Assert.Equal("shared", adopted.Name);
        Assert.False(adopted.Personal);
        Assert.Equal(bob.Time.GetUtcNow().ToUnixTimeMilliseconds(), adopted.CreatedMs);
        Assert.Equal(SpaceRole.Editor, bob.Spaces.RoleOf(space, bob.Id));
        Assert.Equal(LogSnapshot.Of(alice.Spaces.Find(space)!.Log), LogSnapshot.Of(adopted.Log));

        // The outcome's keys are the host's copies: disposing them leaves the ring intact.
        key.Dispose();
        Assert.Equal(alice.KeyBytes(space, 0), bob.KeyBytes(space, 0));
    }

    [Fact]
    public void The_same_state_again_is_unchanged_and_a_longer_one_adds_only_what_is_new()
    {
        using var alice = new SpaceNode();
        using var bob = new SpaceNode();
        using var carol = DeviceKey.Generate();
        var space = alice.CreateSpace();
        alice.Spaces.AddMember(space, bob.Id, SpaceRole.Editor, alice.Key);
        bob.Receive(alice, space);

        var again = bob.Receive(alice, space);
        Assert.Equal(SpaceStateOutcomeKind.Unchanged, again.Kind);
        Assert.False(again.HasChanges);
        Assert.Empty(again.NewEntries);
        Assert.Empty(again.NewKeys);

        alice.Spaces.AddMember(space, carol.Id, SpaceRole.Viewer, alice.Key);
        var rotation = alice.Spaces.Remove(space, carol.Id, alice.Key);
        rotation.NewKey?.Dispose();
        var changed = bob.Receive(alice, space);

        Assert.Equal(SpaceStateOutcomeKind.Changed, changed.Kind);
        Assert.Equal([MembershipEntryKind.AddMember, MembershipEntryKind.RemoveMember, MembershipEntryKind.RotateKey], changed.NewEntries.Select(e => e.Kind));
        Assert.Equal(1UL, Assert.Single(changed.NewKeys).Epoch);
        Assert.Equal(alice.KeyBytes(space, 1), bob.KeyBytes(space, 1));

        // A peer that is behind (a prefix of our log) changes nothing.
        var behind = alice.Spaces.DescribeFor(space, bob.Id);
        while (behind.Entries.Count > 2)
        {
            behind.Entries.RemoveAt(behind.Entries.Count - 1);
        }

        Assert.Equal(SpaceStateOutcomeKind.Unchanged, bob.Receive(behind, alice.Id).Kind);
        Assert.Equal(5, bob.Spaces.Find(space)!.Log.Entries.Count);
    }

    [Fact]
    public void Only_keys_new_to_the_ring_make_a_change()
    {
        using var alice = new SpaceNode();
        using var bob = new SpaceNode();
        var space = alice.CreateSpace();
        alice.Spaces.AddMember(space, bob.Id, SpaceRole.Editor, alice.Key);
        var withoutKeys = alice.Spaces.DescribeFor(space, bob.Id);
        withoutKeys.Keys.Clear();
        Assert.Equal(SpaceStateOutcomeKind.Adopted, bob.Receive(withoutKeys, alice.Id).Kind);
        Assert.Null(bob.KeyBytes(space, 0));

        var outcome = bob.Receive(alice, space);
        Assert.Equal(SpaceStateOutcomeKind.Changed, outcome.Kind);
        Assert.Empty(outcome.NewEntries);
        Assert.Single(outcome.NewKeys);
        Assert.Equal(alice.KeyBytes(space, 0), bob.KeyBytes(space, 0));
    }

    [Fact]
    public void An_unknown_space_this_device_is_not_in_is_refused_and_not_kept()
    {
        using var alice = new SpaceNode();
        using var bob = new SpaceNode();
        var space = alice.CreateSpace();

        var outcome = bob.Receive(alice, space);

        AssertRefused(outcome, SpaceStateRefusal.NotAMember, "not a member");
        Assert.Empty(bob.Spaces.All);
    }

    [Fact]
    public void A_state_whose_space_id_is_not_16_bytes_is_refused()
    {
        using var bob = new SpaceNode();
        var outcome = bob.Receive(new SpaceState { SpaceId = ByteString.CopyFrom(new byte[15]), Name = "x" }, bob.Id);
        AssertRefused(outcome, SpaceStateRefusal.MalformedSpaceId, "15 bytes");
        Assert.True(outcome.SpaceId.IsEmpty);
        Assert.Null(outcome.Space);
    }

    [Fact]
    public void An_unknown_space_without_entries_is_refused()
    {
        using var bob = new SpaceNode();
        var state = new SpaceState { SpaceId = ByteString.CopyFrom(SpaceId.NewRandom().Bytes), Name = "empty" };
        AssertRefused(bob.Receive(state, bob.Id), SpaceStateRefusal.NoLog, "no membership log");
        Assert.Empty(bob.Spaces.All);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" lead")]
    [InlineData("nul\u0000name")]
    public void An_unknown_space_with_an_unacceptable_name_is_refused(string name)
    {
        using var pair = Shared();
        var (alice, bob, space) = pair;
        var state = alice.Spaces.DescribeFor(space, bob.Id);
        state.Name = name;
        AssertRefused(bob.Receive(state, alice.Id), SpaceStateRefusal.BadName, "name");
        Assert.Empty(bob.Spaces.All);
    }

    [Fact]
    public void A_malformed_entry_refuses_the_whole_state()
    {
        using var pair = Shared();
        var (alice, bob, space) = pair;
        var state = alice.Spaces.DescribeFor(space, bob.Id);
        state.Entries[1] = ByteString.CopyFrom(state.Entries[1].Span[..100]);
        AssertRefused(bob.Receive(state, alice.Id), SpaceStateRefusal.MalformedEntry, "entry 1 is malformed");
        Assert.Empty(bob.Spaces.All);
    }

    [Fact]
    public void Entries_out_of_order_or_replayed_at_another_position_are_refused()
    {
        using var pair = Shared();
        var (alice, bob, space) = pair;
        var good = alice.Spaces.DescribeFor(space, bob.Id);

        var swapped = good.Clone();
        (swapped.Entries[0], swapped.Entries[1]) = (swapped.Entries[1], swapped.Entries[0]);
        AssertRefused(bob.Receive(swapped, alice.Id), SpaceStateRefusal.MisplacedEntry, "sequence number");

        var repeated = good.Clone();
        repeated.Entries.Add(repeated.Entries[1]);
        AssertRefused(bob.Receive(repeated, alice.Id), SpaceStateRefusal.MisplacedEntry, "sequence number");

        var headless = good.Clone();
        headless.Entries.RemoveAt(0);
        AssertRefused(bob.Receive(headless, alice.Id), SpaceStateRefusal.MisplacedEntry, "sequence number");
        Assert.Empty(bob.Spaces.All);
    }

    [Fact]
    public void Entries_of_another_space_are_refused()
    {
        using var pair = Shared();
        var (alice, bob, space) = pair;
        var other = alice.CreateSpace("other");
        alice.Spaces.AddMember(other, bob.Id, SpaceRole.Editor, alice.Key);
        var state = alice.Spaces.DescribeFor(other, bob.Id);
        state.SpaceId = ByteString.CopyFrom(space.Bytes);

        AssertRefused(bob.Receive(state, alice.Id), SpaceStateRefusal.ForeignEntry, "belongs to space");
        Assert.Empty(bob.Spaces.All);
    }

    [Fact]
    public void A_genesis_that_is_not_its_author_adding_itself_is_refused()
    {
        using var mallory = DeviceKey.Generate();
        using var bob = new SpaceNode();
        var id = SpaceId.NewRandom();

        // Mallory signs a genesis naming Bob as the founding owner: Bob would "own" a space he never made.
        var genesis = MembershipEntry.AddMember(id, 0, new byte[MembershipEntry.HashLength], mallory, bob.Id, SpaceRole.Owner);
        var state = new SpaceState { SpaceId = ByteString.CopyFrom(id.Bytes), Name = "trap" };
        state.Entries.Add(ByteString.CopyFrom(MembershipEntryCodec.Encode(genesis)));

        AssertRefused(bob.Receive(state, mallory.Id), SpaceStateRefusal.EntryRefused, nameof(MembershipRefusal.BadGenesis));
        Assert.Empty(bob.Spaces.All);
    }

    [Fact]
    public void A_forged_signature_anywhere_refuses_the_state()
    {
        using var pair = Shared();
        var (alice, bob, space) = pair;
        for (var i = 0; i < 2; i++)
        {
            var state = alice.Spaces.DescribeFor(space, bob.Id);
            var bytes = state.Entries[i].ToByteArray();
            bytes[^1] ^= 0x01;
            state.Entries[i] = ByteString.CopyFrom(bytes);
            AssertRefused(bob.Receive(state, alice.Id), SpaceStateRefusal.EntryRefused, nameof(MembershipRefusal.BadSignature));
        }

        Assert.Empty(bob.Spaces.All);
    }

    [Fact]
    public void A_fork_of_the_held_log_is_refused_and_changes_nothing()
    {
        using var pair = Shared();
        var (alice, bob, space) = pair;
        Assert.Equal(SpaceStateOutcomeKind.Adopted, bob.Receive(alice, space).Kind);
        using var carol = DeviceKey.Generate();
        using var dave = DeviceKey.Generate();

        // Alice signs two different third entries: Bob takes one, the other is a fork.
        var log = alice.Spaces.Find(space)!.Log;
        var addCarol = MembershipEntry.AddMember(space, log.NextSequence, log.HeadHash, alice.Key, carol.Id, SpaceRole.Editor);
        var addDave = MembershipEntry.AddMember(space, log.NextSequence, log.HeadHash, alice.Key, dave.Id, SpaceRole.Editor);
        var withCarol = alice.Spaces.DescribeFor(space, bob.Id);
        withCarol.Entries.Add(ByteString.CopyFrom(MembershipEntryCodec.Encode(addCarol)));
        var withDave = alice.Spaces.DescribeFor(space, bob.Id);
        withDave.Entries.Add(ByteString.CopyFrom(MembershipEntryCodec.Encode(addDave)));
        Assert.Equal(SpaceStateOutcomeKind.Changed, bob.Receive(withCarol, alice.Id).Kind);
        var before = DirectorySnapshot.Of(bob.Spaces);

        AssertRefused(bob.Receive(withDave, alice.Id), SpaceStateRefusal.Fork, "fork");
        Assert.Equal(before, DirectorySnapshot.Of(bob.Spaces));
        Assert.Null(bob.Spaces.RoleOf(space, dave.Id));
    }

    [Fact]
    public void One_bad_entry_after_good_new_ones_applies_none_of_them()
    {
        using var pair = Shared();
        var (alice, bob, space) = pair;
        bob.Receive(alice, space);
        using var carol = DeviceKey.Generate();
        alice.Spaces.AddMember(space, carol.Id, SpaceRole.Editor, alice.Key);
        var state = alice.Spaces.DescribeFor(space, bob.Id);

        // A good third entry followed by a fourth signed by an editor (not allowed to manage members).
        var log = alice.Spaces.Find(space)!.Log;
        var byEditor = MembershipEntry.RotateKey(space, log.NextSequence, log.HeadHash, bob.Key, 1);
        state.Entries.Add(ByteString.CopyFrom(MembershipEntryCodec.Encode(byEditor)));
        var before = DirectorySnapshot.Of(bob.Spaces);

        AssertRefused(bob.Receive(state, alice.Id), SpaceStateRefusal.EntryRefused, nameof(MembershipRefusal.NotAnOwner));
        Assert.Equal(before, DirectorySnapshot.Of(bob.Spaces));
        Assert.Null(bob.Spaces.RoleOf(space, carol.Id));
    }

    [Fact]
    public void Too_many_entries_are_refused_before_any_is_decoded()
    {
        using var bob = new SpaceNode();
        var state = new SpaceState { SpaceId = ByteString.CopyFrom(SpaceId.NewRandom().Bytes), Name = "big" };
        for (var i = 0; i <= SpaceDirectory.MaxStateEntries; i++)
        {
            state.Entries.Add(ByteString.Empty);
        }

        AssertRefused(bob.Receive(state, bob.Id), SpaceStateRefusal.TooLarge, "at most");
    }

    [Fact]
    public void A_key_sealed_to_another_device_is_ignored_with_a_note_and_the_rest_applies()
    {
        using var pair = Shared();
        var (alice, bob, space) = pair;
        using var eve = DeviceKey.Generate();
        var state = alice.Spaces.DescribeFor(space, bob.Id);
        state.Keys[0] = alice.Spaces.DescribeFor(space, alice.Id).Keys[0];

        var outcome = bob.Receive(state, alice.Id);

        Assert.Equal(SpaceStateOutcomeKind.Adopted, outcome.Kind);
        Assert.Empty(outcome.NewKeys);
        Assert.Contains("not sealed to this device", Assert.Single(outcome.Notes), StringComparison.Ordinal);
        Assert.Null(bob.KeyBytes(space, 0));
    }

    [Fact]
    public void A_key_announced_under_another_epoch_is_ignored()
    {
        using var pair = Shared();
        var (alice, bob, space) = pair;
        using var carol = DeviceKey.Generate();
        alice.Spaces.AddMember(space, carol.Id, SpaceRole.Viewer, alice.Key);
        alice.Spaces.Remove(space, carol.Id, alice.Key).NewKey?.Dispose();
        var state = alice.Spaces.DescribeFor(space, bob.Id);

        // The epoch-0 key presented as epoch 1: the epoch sealed inside gives it away.
        state.Keys[1] = new WrappedSpaceKey { Epoch = 1, SealedKey = state.Keys[0].SealedKey };
        var outcome = bob.Receive(state, alice.Id);

        Assert.Equal(SpaceStateOutcomeKind.Adopted, outcome.Kind);
        Assert.Equal(0UL, Assert.Single(outcome.NewKeys).Epoch);
        Assert.Contains("not the announced epoch 1", Assert.Single(outcome.Notes), StringComparison.Ordinal);
        Assert.Null(bob.KeyBytes(space, 1));
    }

    [Fact]
    public void A_key_for_an_epoch_the_log_has_not_reached_is_ignored()
    {
        using var pair = Shared();
        var (alice, bob, space) = pair;
        using var future = SpaceKey.Generate(1);
        var state = alice.Spaces.DescribeFor(space, bob.Id);
        state.Keys.Add(new WrappedSpaceKey { Epoch = 1, SealedKey = ByteString.CopyFrom(SpaceKeyWrap.Wrap(future, bob.Id)) });

        var outcome = bob.Receive(state, alice.Id);

        Assert.Equal(0UL, Assert.Single(outcome.NewKeys).Epoch);
        Assert.Contains("the log is at epoch 0", Assert.Single(outcome.Notes), StringComparison.Ordinal);
        Assert.Equal([0UL], bob.Spaces.Find(space)!.Keys.Epochs);
    }

    [Fact]
    public void Keys_from_a_sender_that_is_not_a_member_are_ignored()
    {
        using var pair = Shared();
        var (alice, bob, space) = pair;
        using var mallory = DeviceKey.Generate();
        using var planted = SpaceKey.Generate(0);
        var state = alice.Spaces.DescribeFor(space, bob.Id);
        state.Keys[0] = new WrappedSpaceKey { Epoch = 0, SealedKey = ByteString.CopyFrom(SpaceKeyWrap.Wrap(planted, bob.Id)) };

        // Mallory relays Alice's genuine entries (they are signed, so that is fine) with a key of her own.
        var outcome = bob.Receive(state, mallory.Id);

        Assert.Equal(SpaceStateOutcomeKind.Adopted, outcome.Kind);
        Assert.Empty(outcome.NewKeys);
        Assert.Contains("the sender is not a member", Assert.Single(outcome.Notes), StringComparison.Ordinal);
        Assert.Null(bob.KeyBytes(space, 0));
    }

    [Fact]
    public void A_second_key_for_the_same_epoch_in_one_state_is_ignored()
    {
        using var pair = Shared();
        var (alice, bob, space) = pair;
        using var planted = SpaceKey.Generate(0);
        var state = alice.Spaces.DescribeFor(space, bob.Id);
        state.Keys.Add(new WrappedSpaceKey { Epoch = 0, SealedKey = ByteString.CopyFrom(SpaceKeyWrap.Wrap(planted, bob.Id)) });

        var outcome = bob.Receive(state, alice.Id);

        Assert.Single(outcome.NewKeys);
        Assert.Contains("second key for epoch 0", Assert.Single(outcome.Notes), StringComparison.Ordinal);
        Assert.Equal(alice.KeyBytes(space, 0), bob.KeyBytes(space, 0));
    }

    [Fact]
    public void Null_arguments_are_the_only_exceptions()
    {
        using var bob = new SpaceNode();
        Assert.Throws<ArgumentNullException>(() => bob.Spaces.ApplyState(null!, bob.Id, bob.Key));
        Assert.Throws<ArgumentNullException>(() => bob.Spaces.ApplyState(new SpaceState(), bob.Id, null!));
        AssertRefused(bob.Spaces.ApplyState(new SpaceState(), default, bob.Key), SpaceStateRefusal.MalformedSpaceId, "0 bytes");
    }

    private static void AssertRefused(SpaceStateOutcome outcome, SpaceStateRefusal refusal, string reasonPart)
    {
        Assert.Equal(SpaceStateOutcomeKind.Refused, outcome.Kind);
        Assert.Equal(refusal, outcome.Refusal);
        Assert.Contains(refusal.ToString(), outcome.ToString(), StringComparison.Ordinal);
        Assert.False(outcome.HasChanges);
        Assert.Null(outcome.Space);
        Assert.Empty(outcome.NewEntries);
        Assert.Empty(outcome.NewKeys);
        Assert.Contains(reasonPart, outcome.Reason, StringComparison.Ordinal);
    }

    // Alice's space with Bob added as editor; Bob has not received anything yet.
    private static SharedPair Shared()
    {
        var alice = new SpaceNode();
        var bob = new SpaceNode();
        var space = alice.CreateSpace("shared");
        alice.Spaces.AddMember(space, bob.Id, SpaceRole.Editor, alice.Key);
        return new SharedPair(alice, bob, space);
    }
}
