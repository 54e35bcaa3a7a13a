using Microsoft.Data.Sqlite;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Storage;

/// <summary>
/// Invites this node issued and whether they were redeemed. Expiry is the caller's rule
/// (InviteRedemption); the store's job is that an invite is used at most once, even when two
/// joiners race (see <see cref="MarkUsed"/>). Safe to use from several threads.
/// </summary>
internal sealed class InviteRepository
{
    private const string Columns = "SELECT id, space_id, role, protected_secret, created_ms, expires_ms, used_ms, used_by FROM invites";

    private readonly StoreTransactions transactions;

    public InviteRepository(StoreTransactions transactions)
    {
        this.transactions = transactions;
    }

    /// <summary>
    /// Stores a new, unused invite. Throws <see cref="SpaceNotFoundException"/> when its space is
    /// not stored and <see cref="InvalidStoreInputException"/> when its id already is.
    /// </summary>
    public void Insert(InviteRow invite)
    {
        ArgumentNullException.ThrowIfNull(invite);
        invite.ValidateNew();
        transactions.Write((connection, transaction) =>
        {
            SpaceRepository.RequireSpace(connection, transaction, invite.SpaceId);
            if (connection.Scalar(transaction, "SELECT 1 FROM invites WHERE id = $id", ("$id", invite.Id)) is not null)
            {
                throw new InvalidStoreInputException("invite id", $"invite {Convert.ToHexStringLower(invite.Id)} is already stored");
            }

            return connection.Execute(
                transaction,
                """
                INSERT INTO invites (id, space_id, role, protected_secret, created_ms, expires_ms)
                VALUES ($id, $space, $role, $secret, $created, $expires)
                """,
                ("$id", invite.Id),
                ("$space", invite.SpaceId),
                ("$role", (int)invite.Role),
                ("$secret", invite.ProtectedSecret),
                ("$created", invite.CreatedMs),
                ("$expires", invite.ExpiresMs));
        });
    }

    /// <summary>The invite with this id, or null.</summary>
    public InviteRow? Find(byte[] id)
    {
        StoreBlobs.RequireLength(id, StoreBlobs.InviteIdLength, "invite id");
        return transactions.Read((connection, transaction) =>
        {
            using var command = connection.Command(transaction, Columns + " WHERE id = $id", ("$id", id));
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadRow(reader) : null;
        });
    }

    /// <summary>
    /// Records that <paramref name="usedBy"/> redeemed the invite, only if nobody has yet. The
    /// check and the write are one UPDATE, so of two racing redemptions exactly one gets true;
    /// false also for an unknown id. The first redemption's time and device are kept.
    /// </summary>
    public bool MarkUsed(byte[] id, long usedMs, DeviceId usedBy)
    {
        StoreBlobs.RequireLength(id, StoreBlobs.InviteIdLength, "invite id");
        StoreBlobs.RequireTime(usedMs, "invite use time");
        if (usedBy.IsEmpty)
        {
            throw new InvalidStoreInputException("invite user", "it is the empty (default) DeviceId");
        }

        return transactions.Write((connection, transaction) => connection.Execute(
            transaction,
            "UPDATE invites SET used_ms = $used, used_by = $by WHERE id = $id AND used_ms IS NULL",
            ("$id", id),
            ("$used", usedMs),
            ("$by", usedBy.ToString())) == 1);
    }

    /// <summary>Every invite issued for the space, oldest first (empty for an unknown space).</summary>
    public IReadOnlyList<InviteRow> List(byte[] spaceId)
    {
        StoreBlobs.RequireLength(spaceId, StoreBlobs.SpaceIdLength, "space id");
        return transactions.Read((connection, transaction) =>
        {
            using var command = connection.Command(transaction, Columns + " WHERE space_id = $space ORDER BY created_ms, id", ("$space", spaceId));
            using var reader = command.ExecuteReader();
            var invites = new List<InviteRow>();
            while (reader.Read())
            {
                invites.Add(ReadRow(reader));
            }

            return (IReadOnlyList<InviteRow>)invites;
        });
    }

    private static InviteRow ReadRow(SqliteDataReader reader)
    {
        var id = (byte[])reader.GetValue(0);
        DeviceId? usedBy = null;
        if (!reader.IsDBNull(7))
        {
            var text = reader.GetString(7);
            usedBy = DeviceId.TryParse(text, out var device)
                ? device
                : throw new StoreCorruptionException(
                    $"invites table: invite {Convert.ToHexStringLower(id)} was used by '{text}', which is not a device id; the row was left as is",
                    null,
                    null);
        }

        return new InviteRow(
            id,
            (byte[])reader.GetValue(1),
            (SpaceRole)reader.GetInt64(2),
            (byte[])reader.GetValue(3),
            reader.GetInt64(4),
            reader.GetInt64(5),
            reader.IsDBNull(6) ? null : reader.GetInt64(6),
            usedBy);
    }
}
