using P2PSync.Node.Identity;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// The spaces this node holds, in memory, with the rules for changing them: local changes signed
/// by this device (<see cref="Create"/>, <see cref="AddMember"/>, <see cref="ChangeRole"/>,
/// <see cref="Remove"/>) and peers' states checked and applied all or nothing
/// (<see cref="ApplyState"/>, in SpaceDirectory.State.cs). No I/O: every change returns what is
/// new so the host persists exactly that. Not thread-safe: the host serialises calls.
/// Disposing wipes every held content key.
/// </summary>
internal sealed partial class SpaceDirectory : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Dictionary<SpaceId, Space> _byId = [];
    private readonly List<Space> _all = [];

    /// <param name="time">Stamps <see cref="Space.CreatedMs"/> of spaces adopted from peers.</param>
    public SpaceDirectory(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>Every space, in the order it was loaded, created or adopted.</summary>
    public IReadOnlyList<Space> All => _all;

    /// <summary>This device's personal space, once created or loaded.</summary>
    public Space? Personal { get; private set; }

    public Space? Find(SpaceId id) => _byId.GetValueOrDefault(id);

    /// <summary>The spaces <paramref name="device"/> is a current member of (any role): what it may see.</summary>
    public IReadOnlyList<Space> SharedWith(DeviceId device)
        => device.IsEmpty ? [] : _all.Where(space => space.Log.RoleOf(device) is not null).ToList();

    public bool IsMember(SpaceId space, DeviceId device) => RoleOf(space, device) is not null;

    /// <summary>True when <paramref name="device"/> is a current member of at least one space: it may hold a sync connection.</summary>
    public bool SharesAnySpace(DeviceId device) => !device.IsEmpty && _all.Any(space => space.Log.RoleOf(device) is not null);

    /// <summary>The device's current role in the space; null when it is not a member or the space is unknown.</summary>
    public SpaceRole? RoleOf(SpaceId space, DeviceId device) => Find(space)?.Log.RoleOf(device);

    /// <summary>Adds a space the host rebuilt from the store at startup.</summary>
    /// <exception cref="ArgumentException">A space with this id is already held, or a second personal space.</exception>
    public void Load(Space space)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (_byId.ContainsKey(space.Id))
        {
            throw new ArgumentException($"Space {space.Id} is already loaded.", nameof(space));
        }

        if (space.Personal && Personal is not null)
        {
            throw new ArgumentException($"Space {space.Id} cannot be personal: {Personal.Id} already is.", nameof(space));
        }

        Add(space);
    }

    /// <summary>
    /// A new space: genesis (this device as owner), an AddMember(owner) for each of
    /// <paramref name="alsoOwners"/> (this device's other trusted devices; duplicates and itself
    /// are skipped) and a fresh epoch-0 content key.
    /// </summary>
    /// <exception cref="ArgumentException">The name breaks the name rules, an owner id is empty, or a second personal space.</exception>
    public SpaceChange Create(string name, DeviceKey self, long nowMs, bool personal, IEnumerable<DeviceId> alsoOwners)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(alsoOwners);
        Space.RequireValidName(name);
        if (personal && Personal is not null)
        {
            throw new ArgumentException($"This device already has a personal space ({Personal.Id}).", nameof(personal));
        }

        var id = SpaceId.NewRandom();
        var log = new MembershipLog(id);
        log.Apply(MembershipEntry.AddMember(id, 0, log.HeadHash, self, self.Id, SpaceRole.Owner));
        foreach (var owner in alsoOwners.Distinct())
        {
            if (owner.IsEmpty)
            {
                throw new ArgumentException("An owner id is empty.", nameof(alsoOwners));
            }

            if (owner != self.Id)
            {
                log.Apply(MembershipEntry.AddMember(id, log.NextSequence, log.HeadHash, self, owner, SpaceRole.Owner));
            }
        }

        var key = SpaceKey.Generate(0);
        var ring = new SpaceKeyRing();
        ring.Add(key);
        var space = new Space(id, name, log, ring, personal, nowMs);
        Add(space);
        return new SpaceChange(space, [.. log.Entries], key);
    }

    /// <summary>Signs and applies AddMember(<paramref name="device"/>, <paramref name="role"/>).</summary>
    /// <exception cref="KeyNotFoundException">The space is unknown.</exception>
    /// <exception cref="MembershipException">This device is not an owner, the device is already a member, ...; nothing changed.</exception>
    public SpaceChange AddMember(SpaceId space, DeviceId device, SpaceRole role, DeviceKey self)
    {
        ArgumentNullException.ThrowIfNull(self);
        var target = Require(space);
        var log = target.Log;
        var entry = MembershipEntry.AddMember(space, log.NextSequence, log.HeadHash, self, device, role);
        log.Apply(entry);
        return new SpaceChange(target, [entry], null);
    }

    /// <summary>Signs and applies ChangeRole(<paramref name="device"/>, <paramref name="role"/>).</summary>
    /// <exception cref="KeyNotFoundException">The space is unknown.</exception>
    /// <exception cref="MembershipException">This device is not an owner, the device is not a member, the last owner would go; nothing changed.</exception>
    public SpaceChange ChangeRole(SpaceId space, DeviceId device, SpaceRole role, DeviceKey self)
    {
        ArgumentNullException.ThrowIfNull(self);
        var target = Require(space);
        var log = target.Log;
        var entry = MembershipEntry.ChangeRole(space, log.NextSequence, log.HeadHash, self, device, role);
        log.Apply(entry);
        return new SpaceChange(target, [entry], null);
    }

    /// <summary>Signs and applies OpenInvite(<paramref name="inviteKey"/>, <paramref name="role"/>): an invite redeemable while no owner is online.</summary>
    /// <exception cref="KeyNotFoundException">The space is unknown.</exception>
    /// <exception cref="MembershipException">This device is not an owner, the key was opened before, or the role is owner; nothing changed.</exception>
    public SpaceChange OpenInvite(SpaceId space, DeviceId inviteKey, SpaceRole role, DeviceKey self)
    {
        ArgumentNullException.ThrowIfNull(self);
        var target = Require(space);
        var log = target.Log;
        var entry = MembershipEntry.OpenInvite(space, log.NextSequence, log.HeadHash, self, inviteKey, role);
        log.Apply(entry);
        return new SpaceChange(target, [entry], null);
    }

    /// <summary>Signs and applies CloseInvite(<paramref name="inviteKey"/>): the invite can no longer be claimed.</summary>
    /// <exception cref="KeyNotFoundException">The space is unknown.</exception>
    /// <exception cref="MembershipException">This device is not an owner, or no open invite has this key; nothing changed.</exception>
    public SpaceChange CloseInvite(SpaceId space, DeviceId inviteKey, DeviceKey self)
    {
        ArgumentNullException.ThrowIfNull(self);
        var target = Require(space);
        var log = target.Log;
        var entry = MembershipEntry.CloseInvite(space, log.NextSequence, log.HeadHash, self, inviteKey);
        log.Apply(entry);
        return new SpaceChange(target, [entry], null);
    }

    /// <summary>
    /// Removes <paramref name="device"/> and rotates the content key: RemoveMember, then
    /// RotateKey(epoch + 1) with a fresh key that the removed device never receives. Both entries
    /// are checked on a copy of the log first, so either both are applied or neither.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The space is unknown.</exception>
    /// <exception cref="InvalidOperationException">
    /// The device is this device: a leaving device must not pick the key its former peers go on
    /// using; another owner removes it.
    /// </exception>
    /// <exception cref="MembershipException">This device is not an owner, the device is not a member, or it is the last owner; nothing changed.</exception>
    public SpaceChange Remove(SpaceId space, DeviceId device, DeviceKey self)
    {
        ArgumentNullException.ThrowIfNull(self);
        var target = Require(space);
        if (device == self.Id)
        {
            throw new InvalidOperationException("A device cannot remove itself from a space; another owner has to remove it.");
        }

        var log = target.Log;
        var trial = Replay(log);
        var remove = MembershipEntry.RemoveMember(space, trial.NextSequence, trial.HeadHash, self, device);
        trial.Apply(remove);
        var rotate = MembershipEntry.RotateKey(space, trial.NextSequence, trial.HeadHash, self, trial.CurrentEpoch + 1);
        trial.Apply(rotate);
        if (target.Keys.TryGet(rotate.Epoch, out _))
        {
            // Only a damaged store could get here (peers' keys are never taken ahead of the log).
            throw new InvalidOperationException($"Space {space} already holds a key for epoch {rotate.Epoch}, which the log has not reached.");
        }

        log.Apply(remove);
        log.Apply(rotate);
        var key = SpaceKey.Generate(rotate.Epoch);
        target.Keys.Add(key);
        return new SpaceChange(target, [remove, rotate], key);
    }

    /// <summary>Wipes every content key held by every space.</summary>
    public void Dispose()
    {
        foreach (var space in _all)
        {
            space.Keys.Dispose();
        }
    }

    private Space Require(SpaceId id)
        => Find(id) ?? throw new KeyNotFoundException($"Space {id} is not known to this device.");

    private void Add(Space space)
    {
        _byId.Add(space.Id, space);
        _all.Add(space);
        if (space.Personal)
        {
            Personal = space;
        }
    }

    // A working copy of a log to try entries on: the real log is only touched once they all pass.
    private static MembershipLog Replay(MembershipLog log)
    {
        var copy = new MembershipLog(log.Space);
        foreach (var entry in log.Entries)
        {
            copy.Apply(entry);
        }

        return copy;
    }
}
