using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// A space's membership: a hash chain of signed <see cref="MembershipEntry"/> values, checked and
/// applied one at a time. The first entry (genesis) is the creator adding itself as owner; every
/// later entry must be signed by a device that is an owner at that point (or, once, by the key of
/// an open invite, adding the device that claims it) and must extend the chain
/// exactly (next sequence number, previous hash = hash of the last entry). Because entries only
/// ever extend one chain, every device that applies the same entries reaches the same members,
/// roles and key epoch. Not thread-safe: the owner of a log serialises calls.
/// </summary>
internal sealed class MembershipLog
{
    // Per instance, not static: a shared array could be written through by mistake and break every log.
    private readonly byte[] _genesisPreviousHash = new byte[MembershipEntry.HashLength];
    private readonly List<MembershipEntry> _entries = [];
    private readonly Dictionary<DeviceId, SpaceRole> _members = [];
    private readonly Dictionary<DeviceId, MembershipInvite> _invites = [];

    public MembershipLog(SpaceId space)
    {
        if (space.IsEmpty)
        {
            throw new ArgumentException("A membership log belongs to a space.", nameof(space));
        }

        Space = space;
    }

    public SpaceId Space { get; }

    /// <summary>The applied entries, in order.</summary>
    public IReadOnlyList<MembershipEntry> Entries => _entries;

    /// <summary>The sequence number the next entry must carry.</summary>
    public ulong NextSequence => (ulong)_entries.Count;

    /// <summary>The previous hash the next entry must carry (all zeros before genesis).</summary>
    public ReadOnlySpan<byte> HeadHash => _entries.Count == 0 ? _genesisPreviousHash : _entries[^1].Hash;

    /// <summary>The current members and their roles.</summary>
    public IReadOnlyDictionary<DeviceId, SpaceRole> Members => _members;

    /// <summary>Every invite key ever opened (OpenInvite), with its role and whether it is still open.</summary>
    public IReadOnlyDictionary<DeviceId, MembershipInvite> Invites => _invites;

    /// <summary>The content key epoch: 0 from genesis, one more per RotateKey.</summary>
    public ulong CurrentEpoch { get; private set; }

    /// <summary>The device's role, or null when it is not (or no longer) a member.</summary>
    public SpaceRole? RoleOf(DeviceId device) => _members.TryGetValue(device, out var role) ? role : null;

    /// <summary>True for owners and editors: the devices whose document updates are accepted.</summary>
    public bool CanWrite(DeviceId device) => RoleOf(device) is SpaceRole.Owner or SpaceRole.Editor;

    /// <summary>
    /// Checks <paramref name="entry"/> and applies it. Returns false, changing nothing, when this
    /// exact entry is already applied (entries arrive again through sync; that is not an error).
    /// </summary>
    /// <exception cref="MembershipException">The entry is refused; the log is unchanged.</exception>
    public bool Apply(MembershipEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);

        // Every check happens before any state changes, so a refusal leaves the log as it was.
        if (entry.Space != Space)
        {
            throw Refuse(MembershipRefusal.WrongSpace, entry, $"it belongs to space {entry.Space}, not {Space}");
        }

        // Checked before position: a forged copy of an applied entry is an attack worth reporting, not a duplicate.
        if (!entry.HasValidSignature())
        {
            throw Refuse(MembershipRefusal.BadSignature, entry, "its signature does not verify against its author and content");
        }

        if (entry.Sequence < NextSequence)
        {
            if (_entries[(int)entry.Sequence].Hash.SequenceEqual(entry.Hash))
            {
                return false;
            }

            throw Refuse(MembershipRefusal.Fork, entry, "a different entry was already applied at this sequence number");
        }

        if (entry.Sequence > NextSequence)
        {
            throw Refuse(MembershipRefusal.Gap, entry, $"the next sequence number is {NextSequence}");
        }

        if (!entry.PreviousHash.SequenceEqual(HeadHash))
        {
            throw Refuse(MembershipRefusal.BrokenChain, entry, "its previous hash is not the hash of the last entry");
        }

        if (_entries.Count == 0)
        {
            CheckGenesis(entry);
            _members[entry.Author] = SpaceRole.Owner;
            _entries.Add(entry);
            return true;
        }

        if (RoleOf(entry.Author) != SpaceRole.Owner)
        {
            // The one thing a non-owner may sign: the AddMember that claims an invite opened for its key.
            if (entry.Kind == MembershipEntryKind.AddMember && _invites.ContainsKey(entry.Author))
            {
                ClaimInvite(entry);
                _entries.Add(entry);
                return true;
            }

            throw Refuse(MembershipRefusal.NotAnOwner, entry, "its author is not an owner of the space");
        }

        switch (entry.Kind)
        {
            case MembershipEntryKind.OpenInvite:
                if (_invites.ContainsKey(entry.Subject))
                {
                    throw Refuse(MembershipRefusal.InviteAlreadyOpened, entry, "this invite key was opened before");
                }

                if (entry.Role is not (SpaceRole.Editor or SpaceRole.Viewer))
                {
                    throw Refuse(MembershipRefusal.BadInviteRole, entry, "an invite gives the editor or viewer role, never owner");
                }

                _invites[entry.Subject] = new MembershipInvite(entry.Role, MembershipInviteStatus.Open);
                break;
            case MembershipEntryKind.CloseInvite:
                if (_invites.GetValueOrDefault(entry.Subject) is not { Status: MembershipInviteStatus.Open } open)
                {
                    throw Refuse(MembershipRefusal.InviteNotOpen, entry, "no open invite has this key");
                }

                _invites[entry.Subject] = open with { Status = MembershipInviteStatus.Closed };
                break;
            case MembershipEntryKind.AddMember:
                if (_members.ContainsKey(entry.Subject))
                {
                    throw Refuse(MembershipRefusal.AlreadyMember, entry, "the device is already a member (change its role instead)");
                }

                _members[entry.Subject] = entry.Role;
                break;
            case MembershipEntryKind.ChangeRole:
                RequireMember(entry);
                if (entry.Role != SpaceRole.Owner)
                {
                    RequireAnotherOwner(entry);
                }

                _members[entry.Subject] = entry.Role;
                break;
            case MembershipEntryKind.RemoveMember:
                RequireMember(entry);
                RequireAnotherOwner(entry);
                _members.Remove(entry.Subject);
                break;
            default:
                if (entry.Epoch != CurrentEpoch + 1)
                {
                    throw Refuse(MembershipRefusal.BadEpoch, entry, $"the next key epoch is {CurrentEpoch + 1}, not {entry.Epoch}");
                }

                CurrentEpoch = entry.Epoch;
                break;
        }

        _entries.Add(entry);
        return true;
    }

    // An AddMember signed by an invite key: valid once, with the invite's role, for a device not yet a member.
    private void ClaimInvite(MembershipEntry entry)
    {
        var invite = _invites[entry.Author];
        if (invite.Status != MembershipInviteStatus.Open)
        {
            throw Refuse(MembershipRefusal.InviteNotOpen, entry, $"the invite of its author is {(invite.Status == MembershipInviteStatus.Claimed ? "already claimed" : "closed")}");
        }

        if (entry.Role != invite.Role)
        {
            throw Refuse(MembershipRefusal.InviteRoleMismatch, entry, $"the invite gives the {invite.Role} role, not {entry.Role}");
        }

        if (_members.ContainsKey(entry.Subject))
        {
            throw Refuse(MembershipRefusal.AlreadyMember, entry, "the device is already a member");
        }

        _members[entry.Subject] = entry.Role;
        _invites[entry.Author] = invite with { Status = MembershipInviteStatus.Claimed };
    }

    private static void CheckGenesis(MembershipEntry entry)
    {
        if (entry.Kind != MembershipEntryKind.AddMember || entry.Subject != entry.Author || entry.Role != SpaceRole.Owner)
        {
            throw Refuse(MembershipRefusal.BadGenesis, entry, "the first entry must be its author adding itself as owner");
        }
    }

    private void RequireMember(MembershipEntry entry)
    {
        if (!_members.ContainsKey(entry.Subject))
        {
            throw Refuse(MembershipRefusal.NotAMember, entry, "the device is not a member");
        }
    }

    // Without an owner nobody could add, remove or rotate ever again: the space would be frozen.
    private void RequireAnotherOwner(MembershipEntry entry)
    {
        if (_members.GetValueOrDefault(entry.Subject) != SpaceRole.Owner)
        {
            return;
        }

        foreach (var (device, role) in _members)
        {
            if (role == SpaceRole.Owner && device != entry.Subject)
            {
                return;
            }
        }

        throw Refuse(MembershipRefusal.LastOwner, entry, "it would leave the space without an owner");
    }

    private static MembershipException Refuse(MembershipRefusal refusal, MembershipEntry entry, string why)
        => new(refusal, $"Membership entry {entry} refused: {why}.");
}
