using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Invites;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Storage;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The node's spaces: the in-memory <see cref="SpaceDirectory"/> kept in step with the store
/// (entries as signed, keys encrypted at rest by the <see cref="KeyVault"/>), the personal space,
/// and the inviter's side of invites. Every change is persisted before <see cref="Changed"/> fires.
/// </summary>
/// <remarks>
/// One lock (the store gate, shared with the hub and the peer book) serialises all of it, so a
/// membership change and the sync sessions that read it never interleave halfway.
/// </remarks>
internal sealed class NodeSpaces : IDisposable
{
    /// <summary>The name of every node's personal space.</summary>
    public const string PersonalName = "personal";

    private readonly SpaceDirectory _directory;
    private readonly SpaceRepository _spaces;
    private readonly InviteRepository _invites;
    private readonly KeyVault _vault;
    private readonly DeviceKey _self;
    private readonly Lock _gate;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public NodeSpaces(SpaceRepository spaces, InviteRepository invites, DeviceKey self, Lock storeGate, TimeProvider time, ILogger logger)
    {
        _spaces = spaces;
        _invites = invites;
        _self = self;
        _vault = new KeyVault(self);
        _gate = storeGate;
        _time = time;
        _directory = new SpaceDirectory(time);
        _logger = logger;
        lock (_gate)
        {
            foreach (var row in _spaces.ListSpaces())
            {
                _directory.Load(ToSpace(row));
            }
        }
    }

    /// <summary>A space changed (created, adopted, membership or key); <c>Local</c> = by a command on this device rather than from a peer.</summary>
    public event Action<SpaceId, bool>? Changed;

    /// <summary>This device.</summary>
    public DeviceId Self => _self.Id;

    /// <summary>This node's personal space (exists once <see cref="EnsurePersonal"/> ran).</summary>
    public Space? Personal
    {
        get
        {
            lock (_gate)
            {
                return _directory.Personal;
            }
        }
    }

    public IReadOnlyList<Space> List()
    {
        lock (_gate)
        {
            return [.. _directory.All];
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> under the store lock: the spaces' logs cannot change while it
    /// reads several of them (the API's space and member views), since sync applies peers' entries
    /// under that lock.
    /// </summary>
    public T Read<T>(Func<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
        {
            return read();
        }
    }

    public Space? Find(SpaceId id)
    {
        lock (_gate)
        {
            return _directory.Find(id);
        }
    }

    /// <summary>The space named by a full id (hex) or a unique prefix of at least 4 characters, or by its exact name when that is unique.</summary>
    /// <exception cref="UnknownSpaceException">None, or more than one, matches.</exception>
    public Space Resolve(string idOrName)
    {
        ArgumentNullException.ThrowIfNull(idOrName);
        lock (_gate)
        {
            var text = idOrName.Trim();
            var byId = text.Length >= 4
                ? _directory.All.Where(s => s.Id.ToString().StartsWith(text, StringComparison.OrdinalIgnoreCase)).ToList()
                : [];
            var matches = byId.Count > 0 ? byId : _directory.All.Where(s => string.Equals(s.Name, text, StringComparison.Ordinal)).ToList();
            return matches.Count switch
            {
                1 => matches[0],
                0 => throw new UnknownSpaceException($"no space has the id or name \"{idOrName}\" (see `p2psync space list`)"),
                _ => throw new UnknownSpaceException($"\"{idOrName}\" matches {matches.Count} spaces ({string.Join(", ", matches.Select(m => m.Id.ToString()[..8]))}); use more of the id"),
            };
        }
    }

    /// <summary>Whether this device may write documents of the space now (owner or editor).</summary>
    public bool CanWrite(SpaceId space)
    {
        lock (_gate)
        {
            return _directory.RoleOf(space, _self.Id) is SpaceRole.Owner or SpaceRole.Editor;
        }
    }

    /// <summary>
    /// Whether the device and this one are both current members of at least one space (so it may
    /// connect). A space this device was removed from no longer counts, even though its copy of the
    /// log still lists the others.
    /// </summary>
    public bool SharesAnySpace(DeviceId device)
    {
        lock (_gate)
        {
            return !device.Equals(_self.Id) && _directory.SharedWith(device).Any(space => space.Log.RoleOf(_self.Id) is not null);
        }
    }

    /// <summary>Whether the device was a member of the space once and is not any more (it may be told so: it knew the members anyway).</summary>
    public bool WasRemovedFrom(SpaceId space, DeviceId device)
    {
        lock (_gate)
        {
            return _directory.Find(space) is { } found
                && found.Log.RoleOf(device) is null
                && found.Log.Entries.Any(entry => entry.Kind == MembershipEntryKind.AddMember && entry.Subject.Equals(device));
        }
    }

    public bool IsMember(SpaceId space, DeviceId device)
    {
        lock (_gate)
        {
            return _directory.IsMember(space, device);
        }
    }

    public IReadOnlyList<SpaceId> SharedWith(DeviceId device)
    {
        lock (_gate)
        {
            return [.. _directory.SharedWith(device).Where(space => space.Log.RoleOf(_self.Id) is not null).Select(space => space.Id)];
        }
    }

    /// <summary>The membership log to check a record against, or null when the space is unknown here.</summary>
    public MembershipLog? LogOf(SpaceId space)
    {
        lock (_gate)
        {
            return _directory.Find(space)?.Log;
        }
    }

    /// <summary>
    /// Creates the personal space on first use, then makes its owners exactly this device plus
    /// the trusted devices (the peer list is "my devices"): missing ones are added as owners, and
    /// owners no longer trusted are removed (which rotates the key).
    /// </summary>
    public Space EnsurePersonal(IReadOnlyCollection<DeviceId> trusted)
    {
        var changed = new List<SpaceId>();
        Space personal;
        lock (_gate)
        {
            personal = _directory.Personal!;
            if (personal is null)
            {
                var created = _directory.Create(PersonalName, _self, NowMs, personal: true, trusted);
                Persist(created, isNew: true);
                personal = created.Space;
                changed.Add(personal.Id);
                _logger.LogInformation("created the personal space {Space}", personal.Id);
            }
            else
            {
                foreach (var device in trusted.Where(d => !d.Equals(_self.Id) && personal.Log.RoleOf(d) != SpaceRole.Owner))
                {
                    var change = personal.Log.RoleOf(device) is null
                        ? _directory.AddMember(personal.Id, device, SpaceRole.Owner, _self)
                        : _directory.ChangeRole(personal.Id, device, SpaceRole.Owner, _self);
                    Persist(change, isNew: false);
                    changed.Add(personal.Id);
                }

                foreach (var member in personal.Log.Members.Keys.Where(m => !m.Equals(_self.Id) && !trusted.Contains(m)).ToList())
                {
                    Persist(_directory.Remove(personal.Id, member, _self), isNew: false);
                    changed.Add(personal.Id);
                }
            }
        }

        foreach (var id in changed.Distinct())
        {
            Changed?.Invoke(id, true);
        }

        return personal;
    }

    /// <summary>Creates a space with this device as owner, plus <paramref name="alsoOwners"/> (this user's other devices).</summary>
    public Space Create(string name, IReadOnlyCollection<DeviceId> alsoOwners)
    {
        name = DocumentNames.Validate(name, "space name");
        Space space;
        lock (_gate)
        {
            var change = _directory.Create(name, _self, NowMs, personal: false, alsoOwners);
            Persist(change, isNew: true);
            space = change.Space;
        }

        Changed?.Invoke(space.Id, true);
        return space;
    }

    /// <exception cref="MembershipException">This device is not an owner, the device is already a member, ...</exception>
    public void AddMember(SpaceId space, DeviceId device, SpaceRole role) =>
        Mutate(space, () => _directory.AddMember(space, device, role, _self));

    /// <exception cref="MembershipException">This device is not an owner, the device is not a member, the last owner, ...</exception>
    public void ChangeRole(SpaceId space, DeviceId device, SpaceRole role) =>
        Mutate(space, () => _directory.ChangeRole(space, device, role, _self));

    /// <summary>Removes a member and rotates the space key (the removed device never gets the new one).</summary>
    /// <exception cref="MembershipException">This device is not an owner, the device is not a member, the last owner, ...</exception>
    public void Remove(SpaceId space, DeviceId device) =>
        Mutate(space, () => _directory.Remove(space, device, _self));

    /// <summary>A peer's view of a space: applies what we lack and persists exactly that.</summary>
    public SpaceStateOutcome ApplyState(SpaceState state, DeviceId from)
    {
        SpaceStateOutcome outcome;
        lock (_gate)
        {
            outcome = _directory.ApplyState(state, from, _self);
            if (outcome.Kind is SpaceStateOutcomeKind.Adopted or SpaceStateOutcomeKind.Changed)
            {
                PersistOutcome(outcome);
                MarkClaimedRelayInvites(outcome);
            }
        }

        switch (outcome.Kind)
        {
            case SpaceStateOutcomeKind.Adopted:
                _logger.LogInformation("joined space {Space} \"{Name}\" through {Device}", outcome.Space!.Id, outcome.Space.Name, from.ToShortString());
                Changed?.Invoke(outcome.Space.Id, false);
                break;
            case SpaceStateOutcomeKind.Changed:
                Changed?.Invoke(outcome.Space!.Id, false);
                break;
            case SpaceStateOutcomeKind.Refused:
                _logger.LogWarning("refused {Device}'s state of space {Space}: {Reason}", from.ToShortString(), Convert.ToHexStringLower(state.SpaceId.Span), outcome.Reason);
                break;
        }

        return outcome;
    }

    /// <summary>The space as <paramref name="peer"/> may see it (keys sealed to it only when it is a current member).</summary>
    public SpaceState DescribeFor(SpaceId space, DeviceId peer)
    {
        lock (_gate)
        {
            return _directory.DescribeFor(space, peer);
        }
    }

    /// <summary>Whether some invite is still open (unused, unexpired): only then may unknown devices connect, to redeem it.</summary>
    public bool HasOpenInvites()
    {
        lock (_gate)
        {
            var now = NowMs;
            return _directory.All.Any(space => _invites.List(space.Id.Bytes.ToArray()).Any(invite => !invite.IsUsed && invite.ExpiresMs > now));
        }
    }

    /// <summary>Issues a one-time invite to the space; only an owner can (it signs the joiner's AddMember).</summary>
    /// <exception cref="UnknownSpaceException">No such space.</exception>
    /// <exception cref="MembershipException">This device is not an owner of the space.</exception>
    /// <param name="throughRelay">
    /// Also open the invite in the membership log (OpenInvite for the key derived from the secret),
    /// so the joiner can claim it from the package this node leaves on its relay while it is offline.
    /// </param>
    public InviteCode CreateInvite(SpaceId space, InviteRole role, TimeSpan validFor, IReadOnlyList<string> addresses, bool throughRelay = false)
    {
        if (validFor <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(validFor), validFor, "an invite must be valid for some time");
        }

        InviteCode code;
        lock (_gate)
        {
            var found = _directory.Find(space) ?? throw new UnknownSpaceException($"no space {space} here");
            if (found.Log.RoleOf(_self.Id) != SpaceRole.Owner)
            {
                throw new MembershipException(MembershipRefusal.NotAnOwner, $"only an owner of space \"{found.Name}\" can invite; this device is {Describe(found.Log.RoleOf(_self.Id))}");
            }

            var secret = InviteSecrets.NewSecret();
            var id = InviteSecrets.InviteId(secret);
            var now = _time.GetUtcNow();
            var expires = now + validFor;
            var spaceRole = role == InviteRole.Editor ? SpaceRole.Editor : SpaceRole.Viewer;
            if (throughRelay)
            {
                using var inviteKey = RelayInviteKeys.SigningKey(secret);
                Persist(_directory.OpenInvite(space, inviteKey.Id, spaceRole, _self), isNew: false);
            }

            _invites.Insert(new InviteRow(
                id,
                space.Bytes.ToArray(),
                spaceRole,
                _vault.Protect(secret, id),
                now.ToUnixTimeMilliseconds(),
                expires.ToUnixTimeMilliseconds()));
            code = new InviteCode(space.Bytes, role, _self.Id, addresses, expires.ToUnixTimeSeconds(), secret);
        }

        if (throughRelay)
        {
            // The relay posts the package (and the new log to members) once it sees the change.
            Changed?.Invoke(space, true);
        }

        return code;
    }

    /// <summary>
    /// The invites of this device that are open for the relay right now: opened in their space's
    /// log (OpenInvite by this device's secret), neither claimed nor closed there, unused and
    /// unexpired here. With the secret, for the package and the invite topic.
    /// </summary>
    public IReadOnlyList<PendingInvite> OpenRelayInvites()
    {
        lock (_gate)
        {
            var now = NowMs;
            var open = new List<PendingInvite>();
            foreach (var space in _directory.All.Where(s => s.Log.RoleOf(_self.Id) == SpaceRole.Owner))
            {
                foreach (var row in _invites.List(space.Id.Bytes.ToArray()).Where(row => row.UsedMs is null && row.ExpiresMs > now))
                {
                    var invite = ToPending(row);
                    if (RelayInviteStatus(space, invite) == MembershipInviteStatus.Open)
                    {
                        open.Add(invite);
                    }
                }
            }

            return open;
        }
    }

    /// <summary>
    /// Appends CloseInvite for every relay invite of this device that expired unclaimed, so a
    /// secret that leaks later is useless (the log cannot know the time; the inviter can).
    /// Returns how many it closed.
    /// </summary>
    public int CloseExpiredRelayInvites()
    {
        var closed = new List<SpaceId>();
        lock (_gate)
        {
            var now = NowMs;
            foreach (var space in _directory.All.Where(s => s.Log.RoleOf(_self.Id) == SpaceRole.Owner).ToList())
            {
                foreach (var row in _invites.List(space.Id.Bytes.ToArray()).Where(row => row.UsedMs is null && row.ExpiresMs <= now))
                {
                    var invite = ToPending(row);
                    if (RelayInviteStatus(space, invite) == MembershipInviteStatus.Open)
                    {
                        using var inviteKey = RelayInviteKeys.SigningKey(invite.Secret);
                        Persist(_directory.CloseInvite(space.Id, inviteKey.Id, _self), isNew: false);
                        closed.Add(space.Id);
                    }
                }
            }
        }

        foreach (var id in closed.Distinct())
        {
            Changed?.Invoke(id, true);
        }

        return closed.Count;
    }

    /// <summary>
    /// What the joiner of a relay invite needs without the inviter: the whole log (its OpenInvite
    /// included) and every key held, raw (the package is sealed under the invite's box key).
    /// </summary>
    /// <exception cref="UnknownSpaceException">No such space here.</exception>
    public InvitePackage DescribeForInvite(SpaceId space, ReadOnlySpan<byte> inviteId)
    {
        lock (_gate)
        {
            var found = _directory.Find(space) ?? throw new UnknownSpaceException($"no space {space} here");
            var package = new InvitePackage
            {
                InviteId = Google.Protobuf.ByteString.CopyFrom(inviteId),
                SpaceId = Google.Protobuf.ByteString.CopyFrom(space.Bytes),
                Name = found.Name,
            };
            foreach (var entry in found.Log.Entries)
            {
                package.Entries.Add(Google.Protobuf.ByteString.CopyFrom(MembershipEntryCodec.Encode(entry)));
            }

            foreach (var epoch in found.Keys.Epochs)
            {
                if (found.Keys.TryGet(epoch, out var key))
                {
                    package.Keys.Add(new RawSpaceKey { Epoch = epoch, Key = Google.Protobuf.ByteString.CopyFrom(key.Bytes) });
                }
            }

            return package;
        }
    }

    /// <summary>
    /// Invites of this device claimed through the relay (an AddMember signed by their invite key)
    /// are recorded as used, by the device they added, as a direct redemption would be: the node
    /// then stops accepting unknown devices for them. Call under the lock.
    /// </summary>
    private void MarkClaimedRelayInvites(SpaceStateOutcome outcome)
    {
        var space = outcome.Space!;
        var claims = outcome.NewEntries.Where(e => e.Kind == MembershipEntryKind.AddMember && space.Log.Invites.ContainsKey(e.Author)).ToList();
        if (claims.Count == 0)
        {
            return;
        }

        foreach (var row in _invites.List(space.Id.Bytes.ToArray()).Where(row => row.UsedMs is null))
        {
            using var inviteKey = RelayInviteKeys.SigningKey(ToPending(row).Secret);
            if (claims.FirstOrDefault(claim => claim.Author.Equals(inviteKey.Id)) is { } claimed)
            {
                _invites.MarkUsed(row.Id, NowMs, claimed.Subject);
            }
        }
    }

    // The invite's status in its space's log, or null when it was never opened for the relay. Call under the lock.
    private static MembershipInviteStatus? RelayInviteStatus(Space space, PendingInvite invite)
    {
        using var inviteKey = RelayInviteKeys.SigningKey(invite.Secret);
        return space.Log.Invites.TryGetValue(inviteKey.Id, out var opened) ? opened.Status : null;
    }

    /// <summary>
    /// The inviter's side of a join: checks the request against the stored invite (one-time,
    /// unexpired, proof of the secret bound to both device keys), then adds the joiner with the
    /// invite's role and answers with the space, its keys sealed to the joiner.
    /// </summary>
    public JoinResult Redeem(JoinRequest request, DeviceId joiner)
    {
        ArgumentNullException.ThrowIfNull(request);
        SpaceId spaceId;
        JoinResult result;
        lock (_gate)
        {
            var row = request.InviteId.Length == InviteSecrets.InviteIdBytes ? _invites.Find(request.InviteId.ToByteArray()) : null;
            PendingInvite? invite = row is null ? null : ToPending(row);
            spaceId = invite?.Space ?? default;
            var refusal = InviteRedemption.Check(invite, request, joiner, _self.Id, NowMs, _directory);
            var relayStatus = invite is not null && _directory.Find(spaceId) is { } invited ? RelayInviteStatus(invited, invite) : null;
            if (refusal is null && relayStatus is MembershipInviteStatus.Claimed or MembershipInviteStatus.Closed)
            {
                // Claimed through the relay (or closed) while this node still held the invite as unused.
                refusal = JoinRefusal.AlreadyUsed;
            }

            if (refusal is null && !_invites.MarkUsed(row!.Id, NowMs, joiner))
            {
                refusal = JoinRefusal.AlreadyUsed;
            }

            if (refusal is { } refused)
            {
                _logger.LogWarning("refused {Device}'s invite: {Reason}", joiner.ToShortString(), JoinRefusalMessages.Describe(refused));
                return new JoinResult { Accepted = false, Reason = JoinRefusalMessages.Describe(refused) };
            }

            Persist(_directory.AddMember(spaceId, joiner, invite!.Role, _self), isNew: false);
            if (relayStatus == MembershipInviteStatus.Open)
            {
                // Redeemed directly: the package on the relay must not let a second device in.
                using var inviteKey = RelayInviteKeys.SigningKey(invite.Secret);
                Persist(_directory.CloseInvite(spaceId, inviteKey.Id, _self), isNew: false);
            }

            result = new JoinResult { Accepted = true, Space = _directory.DescribeFor(spaceId, joiner) };
            _logger.LogInformation("{Device} joined space {Space} as {Role}", joiner.ToShortString(), spaceId, invite.Role);
        }

        Changed?.Invoke(spaceId, true);
        return result;
    }

    /// <summary>The joiner's side: takes in the space the inviter sent (it must make this device a member).</summary>
    /// <exception cref="JoinFailedException">The state does not make this device a member, or is refused.</exception>
    public Space AcceptJoined(SpaceState state, DeviceId inviter)
    {
        var outcome = ApplyState(state, inviter);
        if (outcome.Kind == SpaceStateOutcomeKind.Refused || outcome.Space is null || !IsMember(outcome.Space.Id, _self.Id))
        {
            throw new JoinFailedException($"the inviter's answer did not make this device a member of the space ({outcome.Reason ?? "no membership entry for it"})");
        }

        return outcome.Space;
    }

    /// <summary>
    /// The joiner's side of an invite claimed from the relay: takes in the space with the AddMember
    /// this device signed (with the invite key), then reports it as a local change, since nobody
    /// else will tell the members (the relay path posts it to each of them when the node runs).
    /// </summary>
    /// <exception cref="JoinFailedException">The state does not make this device a member, or is refused.</exception>
    public Space AcceptClaimed(SpaceState state, DeviceId inviter)
    {
        var space = AcceptJoined(state, inviter);
        Changed?.Invoke(space.Id, true);
        return space;
    }

    /// <summary>
    /// Seals bytes that leave a direct connection (relay mailbox, signalling, exported bundles)
    /// with the space's current key (docs/protocol/sealed-envelope.md). A signed record is sealed
    /// as it is, signature inside: whoever carries the envelope sees neither author nor content.
    /// </summary>
    /// <exception cref="UnknownSpaceException">No such space, or this device holds no key for it.</exception>
    public byte[] Seal(SpaceId space, SealedEnvelopeKind kind, ReadOnlySpan<byte> plaintext)
    {
        lock (_gate)
        {
            var found = _directory.Find(space) ?? throw new UnknownSpaceException($"no space {space} here");
            if (found.Keys.Count == 0)
            {
                throw new UnknownSpaceException($"this device holds no key of space {space}");
            }

            return SpaceSealer.Seal(kind, space, found.Keys.Current, plaintext);
        }
    }

    /// <summary>Opens an envelope sealed for the space with any key epoch this device holds.</summary>
    /// <exception cref="SealedEnvelopeException">Malformed, another space, an epoch this device never got (e.g. after it was removed), or altered.</exception>
    /// <exception cref="UnknownSpaceException">No such space here.</exception>
    public OpenedEnvelope Open(SpaceId space, ReadOnlySpan<byte> sealedBytes)
    {
        lock (_gate)
        {
            var found = _directory.Find(space) ?? throw new UnknownSpaceException($"no space {space} here");
            return SpaceSealer.Open(sealedBytes, space, found.Keys);
        }
    }

    /// <summary>Invites issued for a space, newest first.</summary>
    public IReadOnlyList<InviteRow> InvitesOf(SpaceId space)
    {
        lock (_gate)
        {
            return [.. _invites.List(space.Bytes.ToArray()).OrderByDescending(i => i.CreatedMs)];
        }
    }

    public void Dispose()
    {
        _vault.Dispose();
        _directory.Dispose();
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string Describe(SpaceRole? role) => role switch
    {
        SpaceRole.Editor => "an editor",
        SpaceRole.Viewer => "a viewer",
        SpaceRole.Owner => "an owner",
        _ => "not a member",
    };

    private void Mutate(SpaceId space, Func<SpaceChange> change)
    {
        lock (_gate)
        {
            if (_directory.Find(space) is null)
            {
                throw new UnknownSpaceException($"no space {space} here");
            }

            Persist(change(), isNew: false);
        }

        Changed?.Invoke(space, true);
    }

    private PendingInvite ToPending(InviteRow row) => new(
        row.Id,
        SpaceId.FromBytes(row.SpaceId),
        row.Role,
        _vault.Unprotect(row.ProtectedSecret, row.Id),
        row.ExpiresMs,
        row.UsedMs,
        row.UsedBy);

    /// <summary>Writes what a local change produced: the space row (new spaces), its new entries and its new key. Call under the lock.</summary>
    private void Persist(SpaceChange change, bool isNew)
    {
        var id = change.Space.Id.Bytes.ToArray();
        if (isNew)
        {
            _spaces.Insert(id, change.Space.Name, change.Space.CreatedMs, change.Space.Personal);
        }

        if (change.NewEntries.Count > 0)
        {
            _spaces.AppendEntries(id, [.. change.NewEntries.Select(MembershipEntryCodec.Encode)], (long)change.NewEntries[0].Sequence);
        }

        if (change.NewKey is { } key)
        {
            _spaces.PutKey(id, key.Epoch, Protect(change.Space.Id, key));
        }
    }

    /// <summary>Writes what a peer's state brought. Call under the lock.</summary>
    private void PersistOutcome(SpaceStateOutcome outcome)
    {
        var space = outcome.Space!;
        var id = space.Id.Bytes.ToArray();
        if (outcome.Kind == SpaceStateOutcomeKind.Adopted)
        {
            _spaces.Insert(id, space.Name, space.CreatedMs, personal: false);
        }

        if (outcome.NewEntries.Count > 0)
        {
            _spaces.AppendEntries(id, [.. outcome.NewEntries.Select(MembershipEntryCodec.Encode)], (long)outcome.NewEntries[0].Sequence);
        }

        foreach (var key in outcome.NewKeys)
        {
            _spaces.PutKey(id, key.Epoch, Protect(space.Id, key));
        }
    }

    private byte[] Protect(SpaceId space, SpaceKey key) => _vault.Protect(key.Bytes, KeyContext(space, key.Epoch));

    private static byte[] KeyContext(SpaceId space, ulong epoch)
    {
        var context = new byte[SpaceId.Length + 8];
        space.Bytes.CopyTo(context);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(context.AsSpan(SpaceId.Length), epoch);
        return context;
    }

    private Space ToSpace(SpaceRow row)
    {
        var id = SpaceId.FromBytes(row.Id);
        var log = new MembershipLog(id);
        foreach (var entry in row.Entries)
        {
            log.Apply(MembershipEntryCodec.Read(entry));
        }

        var ring = new SpaceKeyRing();
        foreach (var key in row.Keys)
        {
            try
            {
                var bytes = _vault.Unprotect(key.ProtectedKey, KeyContext(id, key.Epoch));
                ring.Add(new SpaceKey(key.Epoch, bytes));
                CryptographicOperations.ZeroMemory(bytes);
            }
            catch (KeyVaultException ex)
            {
                // Keys of another device (a store copied without its key) cannot be read; the space
                // still works for sync (which needs no key), only sealing at that epoch is lost.
                _logger.LogError("cannot read key epoch {Epoch} of space {Space}: {Reason}", key.Epoch, id, ex.Message);
            }
        }

        return new Space(id, row.Name, log, ring, row.Personal, row.CreatedMs);
    }
}
