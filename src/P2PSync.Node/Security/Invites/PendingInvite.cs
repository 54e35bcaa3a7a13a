using System.Security.Cryptography;
using System.Text;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Security.Invites;

/// <summary>
/// The inviter's copy of an invite it issued: which space and role it grants, its secret, until
/// when it is valid, and whether (when, by whom) it was redeemed. The store keeps it with the
/// secret protected by the key vault; the code printed for the user is <see cref="ToCode"/>.
/// </summary>
/// <remarks>
/// Immutable; <see cref="MarkUsed"/> returns a new value. Byte fields are copied in and out and
/// compared by content. The secret never appears in the printed form.
/// </remarks>
internal sealed record PendingInvite
{
    private readonly byte[] _id;
    private readonly byte[] _secret;

    /// <exception cref="ArgumentException">
    /// A field is out of range: id or secret of the wrong length, an id that is not the secret's,
    /// the owner role, a negative expiry, or only one of <paramref name="usedMs"/> and <paramref name="usedBy"/>.
    /// </exception>
    public PendingInvite(
        ReadOnlySpan<byte> id,
        SpaceId space,
        SpaceRole role,
        ReadOnlySpan<byte> secret,
        long expiresMs,
        long? usedMs = null,
        DeviceId? usedBy = null)
    {
        if (id.Length != InviteSecrets.InviteIdBytes)
        {
            throw new ArgumentException($"An invite id is {InviteSecrets.InviteIdBytes} bytes, not {id.Length}.", nameof(id));
        }

        if (space.IsEmpty)
        {
            throw new ArgumentException("An invite names a space.", nameof(space));
        }

        // Owners are never invited: a code can be forwarded or leaked; ownership is only ever given by a signed entry.
        if (role is not (SpaceRole.Editor or SpaceRole.Viewer))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "An invite grants editor or viewer.");
        }

        // The id is derived from the secret; a mismatch means the stored row was damaged or mixed up.
        if (!InviteSecrets.InviteId(secret).AsSpan().SequenceEqual(id))
        {
            throw new ArgumentException("The invite id is not the one derived from this secret.", nameof(id));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(expiresMs);
        if (usedMs.HasValue != usedBy.HasValue || usedBy is { IsEmpty: true })
        {
            throw new ArgumentException("A used invite records both when and by which device it was used.", nameof(usedBy));
        }

        _id = id.ToArray();
        Space = space;
        Role = role;
        _secret = secret.ToArray();
        ExpiresMs = expiresMs;
        UsedMs = usedMs;
        UsedBy = usedBy;
    }

    /// <summary>BLAKE2b-128 of the secret (<see cref="InviteSecrets.InviteId"/>): what the joiner sends to name the invite.</summary>
    public ReadOnlySpan<byte> Id => _id;

    public SpaceId Space { get; }

    /// <summary>Editor or viewer.</summary>
    public SpaceRole Role { get; }

    /// <summary>The one-time secret; whoever holds the code holds it.</summary>
    public ReadOnlySpan<byte> Secret => _secret;

    /// <summary>Unix milliseconds from which the invite is refused.</summary>
    public long ExpiresMs { get; }

    /// <summary>When the invite was redeemed (Unix milliseconds), or null while it is unused.</summary>
    public long? UsedMs { get; }

    /// <summary>The device that redeemed the invite, or null while it is unused.</summary>
    public DeviceId? UsedBy { get; }

    public bool IsUsed => UsedMs.HasValue;

    /// <summary>True from the expiry instant on: an invite valid "until 12:00" is refused at 12:00:00.000.</summary>
    public bool IsExpired(long nowMs) => nowMs >= ExpiresMs;

    /// <summary>A new invite to <paramref name="space"/> with a fresh random secret.</summary>
    public static PendingInvite Issue(SpaceId space, SpaceRole role, long expiresMs)
    {
        var secret = InviteSecrets.NewSecret();
        try
        {
            return new PendingInvite(InviteSecrets.InviteId(secret), space, role, secret, expiresMs);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>This invite, redeemed at <paramref name="usedMs"/> by <paramref name="usedBy"/>.</summary>
    /// <exception cref="InvalidOperationException">It was already used (a code works once).</exception>
    public PendingInvite MarkUsed(long usedMs, DeviceId usedBy)
    {
        if (IsUsed)
        {
            throw new InvalidOperationException("This invite was already used.");
        }

        return new PendingInvite(_id, Space, Role, _secret, ExpiresMs, usedMs, usedBy);
    }

    /// <summary>
    /// The code to hand to the person invited. The code's expiry is in whole seconds, rounded down,
    /// so a joiner never believes a code valid that the inviter would already refuse.
    /// </summary>
    public InviteCode ToCode(DeviceId inviter, IReadOnlyList<string> inviterAddresses)
        => new(
            Space.Bytes,
            Role == SpaceRole.Editor ? InviteRole.Editor : InviteRole.Viewer,
            inviter,
            inviterAddresses,
            Math.Min(ExpiresMs / 1000, InviteCode.MaxExpiresAtUnixSeconds),
            _secret);

    public bool Equals(PendingInvite? other) =>
        other is not null
        && Space == other.Space
        && Role == other.Role
        && ExpiresMs == other.ExpiresMs
        && UsedMs == other.UsedMs
        && UsedBy == other.UsedBy
        && _id.AsSpan().SequenceEqual(other._id)
        && CryptographicOperations.FixedTimeEquals(_secret, other._secret);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_id);
        hash.Add(Space);
        hash.Add(Role);
        hash.Add(ExpiresMs);
        hash.Add(UsedMs);
        return hash.ToHashCode();
    }

    // The secret is a bearer credential: the printed form must never carry it into a log.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Id = {Convert.ToHexStringLower(_id)}, Space = {Space}, Role = {Role}, ExpiresMs = {ExpiresMs}, Secret = (hidden), ");
        builder.Append(UsedBy is { } by ? $"UsedMs = {UsedMs}, UsedBy = {by.ToShortString()}" : "Unused");
        return true;
    }
}
