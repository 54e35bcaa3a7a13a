using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Storage;

/// <summary>An invite this node issued, as the store keeps it.</summary>
/// <param name="Id">The 16-byte invite id (derived from the secret; names the invite on the wire).</param>
/// <param name="SpaceId">The 16-byte id of the space it admits to.</param>
/// <param name="Role">The role the joiner gets.</param>
/// <param name="ProtectedSecret">The invite secret as the host's KeyVault protected it (context = invite id).</param>
/// <param name="CreatedMs">When it was issued, Unix milliseconds.</param>
/// <param name="ExpiresMs">When it stops working, Unix milliseconds.</param>
/// <param name="UsedMs">When it was redeemed, or null while unused.</param>
/// <param name="UsedBy">The device that redeemed it, or null while unused.</param>
internal sealed record InviteRow(
    byte[] Id,
    byte[] SpaceId,
    SpaceRole Role,
    byte[] ProtectedSecret,
    long CreatedMs,
    long ExpiresMs,
    long? UsedMs = null,
    DeviceId? UsedBy = null)
{
    /// <summary>Whether someone has redeemed it.</summary>
    public bool IsUsed => UsedMs is not null;

    /// <summary>Throws <see cref="InvalidStoreInputException"/> naming the first field that cannot be stored as a new invite.</summary>
    public void ValidateNew()
    {
        StoreBlobs.RequireLength(Id, StoreBlobs.InviteIdLength, "invite id");
        StoreBlobs.RequireLength(SpaceId, StoreBlobs.SpaceIdLength, "space id");
        if (!Enum.IsDefined(Role))
        {
            throw new InvalidStoreInputException("invite role", $"{(int)Role} is not a role");
        }

        StoreBlobs.RequireBlob(ProtectedSecret, StoreBlobs.MaxSmallBlobBytes, "protected invite secret");
        StoreBlobs.RequireTime(CreatedMs, "invite creation time");
        StoreBlobs.RequireTime(ExpiresMs, "invite expiry time");
        if (UsedMs is not null || UsedBy is not null)
        {
            // A new invite is unused by definition; redemption goes through MarkUsed, which is atomic.
            throw new InvalidStoreInputException("invite", "a new invite cannot already be used");
        }
    }

    public bool Equals(InviteRow? other) =>
        other is not null
        && StoreBlobs.SameBytes(Id, other.Id)
        && StoreBlobs.SameBytes(SpaceId, other.SpaceId)
        && Role == other.Role
        && StoreBlobs.SameBytes(ProtectedSecret, other.ProtectedSecret)
        && CreatedMs == other.CreatedMs
        && ExpiresMs == other.ExpiresMs
        && UsedMs == other.UsedMs
        && UsedBy == other.UsedBy;

    public override int GetHashCode() => HashCode.Combine(StoreBlobs.HashOf(Id), Role, CreatedMs, ExpiresMs, UsedMs);
}
