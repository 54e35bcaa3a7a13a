using P2PSync.Node.Crypto;
using P2PSync.Node.Identity;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// One signed step of a space's membership log: add a member, change a role, remove a member, or
/// rotate the content key. Every entry names its space, its position (sequence number) and the hash
/// of the entry before it, and is signed by its author over all of that, so it cannot be moved to
/// another space, another position or another chain without the signature failing.
/// Immutable; byte layout in docs/protocol/membership-log.md.
/// </summary>
internal sealed class MembershipEntry
{
    public const int HashLength = 32;

    private readonly byte[] _previousHash;
    private readonly byte[] _signature;
    private readonly byte[] _signedBytes;
    private readonly byte[] _hash;

    internal MembershipEntry(
        MembershipEntryKind kind,
        SpaceId space,
        ulong sequence,
        ReadOnlySpan<byte> previousHash,
        DeviceId author,
        DeviceId subject,
        SpaceRole role,
        ulong epoch,
        ReadOnlySpan<byte> signature)
    {
        if (previousHash.Length != HashLength)
        {
            throw new ArgumentException($"A previous-entry hash is {HashLength} bytes, not {previousHash.Length}.", nameof(previousHash));
        }

        if (signature.Length != Sodium.Ed25519SignatureBytes)
        {
            throw new ArgumentException($"A signature is {Sodium.Ed25519SignatureBytes} bytes, not {signature.Length}.", nameof(signature));
        }

        Kind = kind;
        Space = space;
        Sequence = sequence;
        _previousHash = previousHash.ToArray();
        Author = author;
        Subject = subject;
        Role = role;
        Epoch = epoch;
        _signature = signature.ToArray();
        _signedBytes = MembershipEntryCodec.SignedBytes(this);
        _hash = new byte[HashLength];
        Sodium.Blake2b(_hash, _signedBytes);
    }

    public MembershipEntryKind Kind { get; }

    public SpaceId Space { get; }

    /// <summary>Position in the log; the genesis entry is 0.</summary>
    public ulong Sequence { get; }

    /// <summary>Hash of the entry at <see cref="Sequence"/> - 1; all zeros for the genesis entry.</summary>
    public ReadOnlySpan<byte> PreviousHash => _previousHash;

    /// <summary>The device that signed the entry.</summary>
    public DeviceId Author { get; }

    /// <summary>The device added, re-roled or removed, or the invite key opened or closed; <c>default</c> for RotateKey.</summary>
    public DeviceId Subject { get; }

    /// <summary>The role given by AddMember, ChangeRole or OpenInvite; 0 (no role) otherwise.</summary>
    public SpaceRole Role { get; }

    /// <summary>The new key epoch of RotateKey; 0 otherwise.</summary>
    public ulong Epoch { get; }

    /// <summary>Ed25519 signature by <see cref="Author"/> over <see cref="SignedBytes"/>.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>The exact bytes the signature covers: a domain label followed by every field but the signature.</summary>
    public ReadOnlySpan<byte> SignedBytes => _signedBytes;

    /// <summary>
    /// BLAKE2b-256 of <see cref="SignedBytes"/>: what the next entry's previous hash must be. It
    /// covers what the author vouched for, not the signature, so an entry's identity cannot depend
    /// on signature encoding.
    /// </summary>
    public ReadOnlySpan<byte> Hash => _hash;

    /// <summary>True when the signature is <see cref="Author"/>'s over this entry's own bytes.</summary>
    public bool HasValidSignature() => Sodium.Ed25519Verify(_signature, _signedBytes, Author.PublicKey.Span);

    /// <summary>Signed: <paramref name="member"/> joins with <paramref name="role"/>.</summary>
    public static MembershipEntry AddMember(SpaceId space, ulong sequence, ReadOnlySpan<byte> previousHash, DeviceKey author, DeviceId member, SpaceRole role)
        => Signed(MembershipEntryKind.AddMember, space, sequence, previousHash, author, RequireDevice(member), RequireRole(role), 0);

    /// <summary>Signed: <paramref name="member"/>'s role becomes <paramref name="role"/>.</summary>
    public static MembershipEntry ChangeRole(SpaceId space, ulong sequence, ReadOnlySpan<byte> previousHash, DeviceKey author, DeviceId member, SpaceRole role)
        => Signed(MembershipEntryKind.ChangeRole, space, sequence, previousHash, author, RequireDevice(member), RequireRole(role), 0);

    /// <summary>Signed: <paramref name="member"/> leaves the space.</summary>
    public static MembershipEntry RemoveMember(SpaceId space, ulong sequence, ReadOnlySpan<byte> previousHash, DeviceKey author, DeviceId member)
        => Signed(MembershipEntryKind.RemoveMember, space, sequence, previousHash, author, RequireDevice(member), 0, 0);

    /// <summary>Signed by an owner: the device that proves <paramref name="inviteKey"/> (derived from an invite secret) may add one member with <paramref name="role"/>.</summary>
    public static MembershipEntry OpenInvite(SpaceId space, ulong sequence, ReadOnlySpan<byte> previousHash, DeviceKey author, DeviceId inviteKey, SpaceRole role)
        => Signed(MembershipEntryKind.OpenInvite, space, sequence, previousHash, author, RequireDevice(inviteKey), RequireRole(role), 0);

    /// <summary>Signed by an owner: the invite of <paramref name="inviteKey"/> can no longer be claimed.</summary>
    public static MembershipEntry CloseInvite(SpaceId space, ulong sequence, ReadOnlySpan<byte> previousHash, DeviceKey author, DeviceId inviteKey)
        => Signed(MembershipEntryKind.CloseInvite, space, sequence, previousHash, author, RequireDevice(inviteKey), 0, 0);

    /// <summary>Signed: the content key moves to <paramref name="epoch"/>.</summary>
    public static MembershipEntry RotateKey(SpaceId space, ulong sequence, ReadOnlySpan<byte> previousHash, DeviceKey author, ulong epoch)
        => Signed(MembershipEntryKind.RotateKey, space, sequence, previousHash, author, default, 0, epoch);

    public override string ToString() => Kind switch
    {
        MembershipEntryKind.RotateKey => $"#{Sequence} RotateKey(epoch {Epoch}) by {Author.ToShortString()}",
        MembershipEntryKind.RemoveMember or MembershipEntryKind.CloseInvite => $"#{Sequence} {Kind}({Subject.ToShortString()}) by {Author.ToShortString()}",
        _ => $"#{Sequence} {Kind}({Subject.ToShortString()}, {Role}) by {Author.ToShortString()}",
    };

    private static MembershipEntry Signed(
        MembershipEntryKind kind, SpaceId space, ulong sequence, ReadOnlySpan<byte> previousHash,
        DeviceKey author, DeviceId subject, SpaceRole role, ulong epoch)
    {
        if (space.IsEmpty)
        {
            throw new ArgumentException("An entry must name a space.", nameof(space));
        }

        // Build once with a placeholder signature to get the canonical bytes, then sign those.
        var unsigned = new MembershipEntry(kind, space, sequence, previousHash, author.Id, subject, role, epoch, new byte[Sodium.Ed25519SignatureBytes]);
        var signature = author.Sign(unsigned.SignedBytes);
        return new MembershipEntry(kind, space, sequence, previousHash, author.Id, subject, role, epoch, signature);
    }

    private static DeviceId RequireDevice(DeviceId device)
        => device.IsEmpty ? throw new ArgumentException("The entry must name a device.", nameof(device)) : device;

    private static SpaceRole RequireRole(SpaceRole role)
        => Enum.IsDefined(role) ? role : throw new ArgumentOutOfRangeException(nameof(role), role, "Not a space role.");
}
