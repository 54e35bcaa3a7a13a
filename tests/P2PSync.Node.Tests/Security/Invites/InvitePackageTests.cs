using Google.Protobuf;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Invites;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Tests.Security.Invites;

/// <summary>The invite package through the relay: sealing, opening, and every reason to refuse it (docs/protocol/join.md).</summary>
public sealed class InvitePackageTests : IDisposable
{
    private readonly RelayInviteFixture _invite = new();

    public void Dispose() => _invite.Dispose();

    [Fact]
    public void The_joiner_claims_the_invite_and_the_state_makes_it_a_member_with_every_key()
    {
        var state = _invite.Claim(_invite.Sealed());

        using var joinerSpaces = new SpaceDirectory(TimeProvider.System);
        var outcome = joinerSpaces.ApplyState(state, _invite.Owner.Id, _invite.Joiner);
        Assert.Equal(SpaceStateOutcomeKind.Adopted, outcome.Kind);
        var space = outcome.Space!;
        Assert.Equal("holiday plans", space.Name);
        Assert.Equal(SpaceRole.Editor, space.Log.RoleOf(_invite.Joiner.Id));
        Assert.Equal(MembershipInviteStatus.Claimed, space.Log.Invites[_invite.InviteKey.Id].Status);
        Assert.True(space.Keys.TryGet(0, out var key));
        Assert.True(_invite.Space.Keys.Current.SameAs(key));

        // The owner, seeing the new log, accepts the claim signed by the invite key.
        var news = _invite.Directory.ApplyState(joinerSpaces.DescribeFor(space.Id, _invite.Owner.Id), _invite.Joiner.Id, _invite.Owner);
        Assert.Equal(SpaceStateOutcomeKind.Changed, news.Kind);
        Assert.Equal(SpaceRole.Editor, _invite.Space.Log.RoleOf(_invite.Joiner.Id));
    }

    [Fact]
    public void The_envelope_names_the_invite_not_the_space()
    {
        var envelope = _invite.Sealed();
        Assert.Equal((byte)SealedEnvelopeKind.InvitePackage, envelope[1]);
        Assert.Equal(InviteSecrets.InviteId(_invite.Secret), envelope[2..18]);
        Assert.DoesNotContain(Convert.ToHexString(_invite.Space.Id.Bytes), Convert.ToHexString(envelope), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString("holiday plans"u8), Convert.ToHexString(envelope), StringComparison.Ordinal);
    }

    [Fact]
    public void Records_open_with_the_secret_and_keep_their_bytes()
    {
        var record = new byte[] { 1, 2, 3, 4 };
        var opened = InvitePackageBox.Open(InvitePackageBox.SealRecord(record, _invite.Secret), _invite.Secret);
        Assert.Equal(SealedEnvelopeKind.SignedRecord, opened.Kind);
        Assert.Equal(record, opened.Plaintext);
    }

    [Fact]
    public void A_node_message_under_the_box_key_does_not_belong_on_an_invite_topic()
    {
        using var key = new SpaceKey(InvitePackageBox.BoxEpoch, RelayInviteKeys.BoxKey(_invite.Secret));
        var misplaced = SpaceSealer.Seal(SealedEnvelopeKind.NodeMessage, SpaceId.FromBytes(InviteSecrets.InviteId(_invite.Secret)), key, [1, 2, 3]);
        var ex = Assert.Throws<InvitePackageException>(() => InvitePackageBox.Open(misplaced, _invite.Secret));
        Assert.Equal(InvitePackageProblem.Malformed, ex.Problem);
        Assert.Contains("does not belong there", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_of_the_wrong_length_is_refused()
    {
        var package = _invite.Package();
        package.Keys[0].Key = ByteString.CopyFrom(new byte[31]);
        Assert.Equal(InvitePackageProblem.InvalidLog, Assert.Throws<InvitePackageException>(() => _invite.Claim(_invite.Sealed(package))).Problem);
    }

    [Fact]
    public void Another_secret_cannot_open_it()
    {
        var ex = Assert.Throws<InvitePackageException>(() => InvitePackageBox.Open(_invite.Sealed(), InviteSecrets.NewSecret()));
        Assert.Equal(InvitePackageProblem.Forged, ex.Problem);
    }

    [Fact]
    public void A_package_signed_by_another_device_is_refused()
    {
        using var stranger = DeviceKey.Generate();
        var ex = Assert.Throws<InvitePackageException>(() => _invite.Claim(_invite.Sealed(signer: stranger)));
        Assert.Equal(InvitePackageProblem.WrongInviter, ex.Problem);
    }

    [Fact]
    public void A_package_whose_signature_does_not_verify_is_refused()
    {
        var opened = InvitePackageBox.Open(_invite.Sealed(), _invite.Secret);
        var signed = SignedMessage.Parser.ParseFrom(opened.Plaintext);
        var package = InvitePackage.Parser.ParseFrom(signed.Payload);
        package.Name = "renamed";
        signed.Payload = package.ToByteString();
        var ex = Assert.Throws<InvitePackageException>(() => InvitePackageBox.ReadPackage(signed.ToByteArray()));
        Assert.Equal(InvitePackageProblem.BadSignature, ex.Problem);
    }

    [Fact]
    public void A_package_for_another_invite_or_space_is_refused()
    {
        var otherInvite = _invite.Package();
        otherInvite.InviteId = ByteString.CopyFrom(new byte[16]);
        Assert.Equal(InvitePackageProblem.WrongInvite, Assert.Throws<InvitePackageException>(() => _invite.Claim(_invite.Sealed(otherInvite))).Problem);

        var otherSpace = _invite.Package();
        otherSpace.SpaceId = ByteString.CopyFrom(new byte[16]);
        Assert.Equal(InvitePackageProblem.WrongInvite, Assert.Throws<InvitePackageException>(() => _invite.Claim(_invite.Sealed(otherSpace))).Problem);
    }

    [Fact]
    public void An_invite_never_opened_in_the_log_is_refused()
    {
        using var unopened = new RelayInviteFixture(open: false);
        var ex = Assert.Throws<InvitePackageException>(() => unopened.Claim(unopened.Sealed()));
        Assert.Equal(InvitePackageProblem.NotOpened, ex.Problem);
    }

    [Fact]
    public void A_claimed_or_closed_invite_is_refused_with_its_own_reason()
    {
        var first = _invite.Claim(_invite.Sealed());
        _invite.Directory.ApplyState(first, _invite.Owner.Id, _invite.Owner);
        Assert.Equal(InvitePackageProblem.Claimed, Assert.Throws<InvitePackageException>(() => _invite.Claim(_invite.Sealed())).Problem);

        using var closed = new RelayInviteFixture();
        closed.Directory.CloseInvite(closed.Space.Id, closed.InviteKey.Id, closed.Owner);
        var ex = Assert.Throws<InvitePackageException>(() => closed.Claim(closed.Sealed()));
        Assert.Equal(InvitePackageProblem.Closed, ex.Problem);
        Assert.Contains("closed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_code_whose_role_differs_from_the_log_is_refused()
    {
        using var viewer = new RelayInviteFixture(InviteRole.Viewer);
        var editorCode = new InviteCode(viewer.Space.Id.Bytes, InviteRole.Editor, viewer.Owner.Id, [], 4_000_000_000, viewer.Secret);
        var opened = InvitePackageBox.Open(viewer.Sealed(), viewer.Secret);
        var (author, package) = InvitePackageBox.ReadPackage(opened.Plaintext);
        var ex = Assert.Throws<InvitePackageException>(() => RelayInviteClaim.Claim(editorCode, author, package, viewer.Joiner));
        Assert.Equal(InvitePackageProblem.RoleMismatch, ex.Problem);
    }

    [Fact]
    public void A_device_already_in_the_space_is_told_so()
    {
        _invite.Directory.AddMember(_invite.Space.Id, _invite.Joiner.Id, SpaceRole.Viewer, _invite.Owner);
        Assert.Equal(InvitePackageProblem.AlreadyMember, Assert.Throws<InvitePackageException>(() => _invite.Claim(_invite.Sealed())).Problem);
    }

    [Fact]
    public void A_broken_log_or_missing_keys_are_refused()
    {
        var tampered = _invite.Package();
        var entry = tampered.Entries[1].ToByteArray();
        entry[^1] ^= 1;
        tampered.Entries[1] = ByteString.CopyFrom(entry);
        Assert.Equal(InvitePackageProblem.InvalidLog, Assert.Throws<InvitePackageException>(() => _invite.Claim(_invite.Sealed(tampered))).Problem);

        var swapped = _invite.Package();
        (swapped.Entries[0], swapped.Entries[1]) = (swapped.Entries[1], swapped.Entries[0]);
        Assert.Equal(InvitePackageProblem.InvalidLog, Assert.Throws<InvitePackageException>(() => _invite.Claim(_invite.Sealed(swapped))).Problem);

        var keyless = _invite.Package();
        keyless.Keys.Clear();
        Assert.Equal(InvitePackageProblem.InvalidLog, Assert.Throws<InvitePackageException>(() => _invite.Claim(_invite.Sealed(keyless))).Problem);

        var future = _invite.Package();
        future.Keys[0].Epoch = 5;
        Assert.Equal(InvitePackageProblem.InvalidLog, Assert.Throws<InvitePackageException>(() => _invite.Claim(_invite.Sealed(future))).Problem);

        var empty = _invite.Package();
        empty.Entries.Clear();
        Assert.Equal(InvitePackageProblem.InvalidLog, Assert.Throws<InvitePackageException>(() => _invite.Claim(_invite.Sealed(empty))).Problem);
    }

    [Fact]
    public void A_log_that_does_not_make_the_inviter_an_owner_is_refused()
    {
        // The code names a device that is not in the log, and that device signed the package.
        using var impostor = DeviceKey.Generate();
        var code = new InviteCode(_invite.Space.Id.Bytes, InviteRole.Editor, impostor.Id, [], 4_000_000_000, _invite.Secret);
        var opened = InvitePackageBox.Open(_invite.Sealed(signer: impostor), _invite.Secret);
        var (author, package) = InvitePackageBox.ReadPackage(opened.Plaintext);
        var ex = Assert.Throws<InvitePackageException>(() => RelayInviteClaim.Claim(code, author, package, _invite.Joiner));
        Assert.Equal(InvitePackageProblem.InviterNotOwner, ex.Problem);
    }

    [Theory]
    [InlineData(71)]
    [InlineData(72)]
    [InlineData(73)]
    public void Seeded_mutations_of_a_sealed_package_are_refused_with_a_typed_error(int seed)
    {
        var original = _invite.Sealed();
        var random = new Random(seed);
        var problems = new HashSet<InvitePackageProblem>();
        for (var i = 0; i < 300; i++)
        {
            var mutant = (byte[])original.Clone();
            switch (random.Next(3))
            {
                case 0:
                    var bit = random.Next(mutant.Length * 8);
                    mutant[bit / 8] ^= (byte)(1 << (bit % 8));
                    break;
                case 1:
                    mutant = mutant[..random.Next(mutant.Length)];
                    break;
                default:
                    var extra = new byte[random.Next(1, 16)];
                    random.NextBytes(extra);
                    mutant = [.. mutant, .. extra];
                    break;
            }

            try
            {
                _invite.Claim(mutant);
                Assert.Fail($"seed {seed}, case {i}: a mutated package was accepted");
            }
            catch (InvitePackageException ex)
            {
                problems.Add(ex.Problem);
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"seed {seed}, case {i}: {ex.GetType().Name} instead of InvitePackageException: {ex.Message}");
            }
        }

        Assert.True(problems.SetEquals([InvitePackageProblem.Forged, InvitePackageProblem.Malformed]), $"seed {seed}: problems seen {string.Join(", ", problems)}");
    }

    [Fact]
    public void Seeded_random_signed_payloads_inside_a_good_box_are_refused_with_a_typed_error()
    {
        const int seed = 4242;
        var random = new Random(seed);
        for (var i = 0; i < 300; i++)
        {
            var junk = new byte[random.Next(0, 300)];
            random.NextBytes(junk);
            var ex = Record.Exception(() => InvitePackageBox.ReadPackage(junk));
            Assert.True(ex is InvitePackageException, $"seed {seed}, case {i}: {ex?.GetType().Name ?? "no error"}");
        }
    }
}
