using Google.Protobuf;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Security.Invites;

/// <summary>
/// The joiner's side of an invite left on the relay (docs/protocol/join.md, "Through the relay"):
/// checks the package against the code, then claims the invite by signing its own AddMember with
/// the invite key derived from the secret. The result is the space as a <see cref="SpaceState"/>
/// from the inviter (keys wrapped to the joiner), so the node adopts it through the same checks
/// as a direct join. Pure: no I/O, no clock (the caller checked the code's expiry).
/// </summary>
internal static class RelayInviteClaim
{
    /// <summary>The space state to adopt, with the joiner's AddMember appended.</summary>
    /// <param name="author">Who signed the package (from <see cref="InvitePackageBox.ReadPackage"/>).</param>
    /// <exception cref="InvitePackageException">The package does not fit the code, its log is invalid, or the invite cannot be claimed.</exception>
    public static SpaceState Claim(InviteCode code, DeviceId author, InvitePackage package, DeviceKey joiner)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(joiner);
        if (!author.Equals(code.Inviter))
        {
            throw Refuse(InvitePackageProblem.WrongInviter, $"the package is signed by {author.ToShortString()}, not by the inviter {code.Inviter.ToShortString()}");
        }

        if (!package.InviteId.Span.SequenceEqual(InviteSecrets.InviteId(code.Secret)) || !package.SpaceId.Span.SequenceEqual(code.SpaceId))
        {
            throw Refuse(InvitePackageProblem.WrongInvite, "the package is for another invite or another space than this code");
        }

        var space = SpaceId.FromBytes(code.SpaceId);
        var log = ReadLog(space, package);
        if (log.RoleOf(author) != SpaceRole.Owner)
        {
            throw Refuse(InvitePackageProblem.InviterNotOwner, "the space's log does not make the inviter an owner");
        }

        using var inviteKey = RelayInviteKeys.SigningKey(code.Secret);
        if (!log.Invites.TryGetValue(inviteKey.Id, out var invite))
        {
            throw Refuse(InvitePackageProblem.NotOpened, "the space's log never opened this invite");
        }

        switch (invite.Status)
        {
            case MembershipInviteStatus.Claimed:
                throw Refuse(InvitePackageProblem.Claimed, "this invite was already used; each invite code works once, ask for a new one");
            case MembershipInviteStatus.Closed:
                throw Refuse(InvitePackageProblem.Closed, "the inviter closed this invite (it expired, was withdrawn or was redeemed directly); ask for a new one");
        }

        var role = code.Role == InviteRole.Editor ? SpaceRole.Editor : SpaceRole.Viewer;
        if (invite.Role != role)
        {
            throw Refuse(InvitePackageProblem.RoleMismatch, $"the invite in the space's log gives the {invite.Role} role, the code says {role}");
        }

        if (log.RoleOf(joiner.Id) is not null)
        {
            throw Refuse(InvitePackageProblem.AlreadyMember, "this device is already a member of the space");
        }

        var claim = MembershipEntry.AddMember(space, log.NextSequence, log.HeadHash, inviteKey, joiner.Id, role);
        log.Apply(claim);

        var state = new SpaceState { SpaceId = ByteString.CopyFrom(space.Bytes), Name = package.Name };
        state.Entries.Add(package.Entries);
        state.Entries.Add(ByteString.CopyFrom(MembershipEntryCodec.Encode(claim)));
        foreach (var raw in package.Keys)
        {
            if (raw.Key.Length != SpaceKey.Length || raw.Epoch > log.CurrentEpoch)
            {
                throw Refuse(InvitePackageProblem.InvalidLog, $"the package holds an impossible key (epoch {raw.Epoch}, {raw.Key.Length} bytes)");
            }

            using var key = new SpaceKey(raw.Epoch, raw.Key.Span);
            state.Keys.Add(new WrappedSpaceKey { Epoch = raw.Epoch, SealedKey = ByteString.CopyFrom(SpaceKeyWrap.Wrap(key, joiner.Id)) });
        }

        if (state.Keys.Count == 0)
        {
            throw Refuse(InvitePackageProblem.InvalidLog, "the package holds no key of the space");
        }

        return state;
    }

    private static MembershipLog ReadLog(SpaceId space, InvitePackage package)
    {
        if (package.Entries.Count == 0 || package.Entries.Count > SpaceDirectory.MaxStateEntries || package.Keys.Count > SpaceDirectory.MaxStateEntries)
        {
            throw Refuse(InvitePackageProblem.InvalidLog, $"the package holds {package.Entries.Count} membership entries and {package.Keys.Count} keys");
        }

        var log = new MembershipLog(space);
        for (var i = 0; i < package.Entries.Count; i++)
        {
            try
            {
                var entry = MembershipEntryCodec.Read(package.Entries[i].Span);
                if (entry.Sequence != (ulong)i || !log.Apply(entry))
                {
                    throw Refuse(InvitePackageProblem.InvalidLog, $"membership entry {i} is out of place");
                }
            }
            catch (Exception ex) when (ex is MembershipFormatException or MembershipException)
            {
                throw Refuse(InvitePackageProblem.InvalidLog, $"membership entry {i} is refused: {ex.Message}");
            }
        }

        return log;
    }

    private static InvitePackageException Refuse(InvitePackageProblem problem, string why) => new(problem, why);
}
