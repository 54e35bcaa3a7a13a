using Microsoft.Data.Sqlite;

namespace P2PSync.Node.Storage;

/// <summary>
/// The spaces this node belongs to: name, membership log entries and protected content keys.
/// Byte-level on purpose: entries are stored as encoded and keys as the host's KeyVault
/// protected them, so the store can neither misread a log nor leak a key. Safe to use from
/// several threads. Spaces are never deleted (the node has no use for it yet).
/// </summary>
internal sealed class SpaceRepository
{
    private readonly StoreTransactions transactions;

    public SpaceRepository(StoreTransactions transactions)
    {
        this.transactions = transactions;
    }

    /// <summary>
    /// Stores a new space with no entries and no keys yet. Throws
    /// <see cref="InvalidStoreInputException"/> when a space with this id is already stored: two
    /// random 16-byte ids never collide, so a repeat is a caller bug that must not pass silently.
    /// </summary>
    public void Insert(byte[] id, string name, long createdMs, bool personal)
    {
        StoreBlobs.RequireLength(id, StoreBlobs.SpaceIdLength, "space id");
        DocumentNames.Validate(name, "space name");
        StoreBlobs.RequireTime(createdMs, "space creation time");
        transactions.Write((connection, transaction) =>
        {
            if (Exists(connection, transaction, id))
            {
                throw new InvalidStoreInputException("space id", $"space {Convert.ToHexStringLower(id)} is already stored");
            }

            return connection.Execute(
                transaction,
                "INSERT INTO spaces (id, name, created_ms, personal) VALUES ($id, $name, $created, $personal)",
                ("$id", id),
                ("$name", name),
                ("$created", createdMs),
                ("$personal", personal ? 1 : 0));
        });
    }

    /// <summary>
    /// Appends encoded membership entries after the ones stored, in one commit, and returns the
    /// log length afterwards. Entry i of the list gets seq (stored count + i), which is the
    /// sequence number signed inside it when the caller passes exactly the entries it lacks.
    /// With <paramref name="expectedFirstSeq"/> the append is refused unless it starts there:
    /// persisting a stale list twice would otherwise file entries at the wrong positions.
    /// </summary>
    public long AppendEntries(byte[] id, IReadOnlyList<byte[]> entries, long? expectedFirstSeq = null)
    {
        StoreBlobs.RequireLength(id, StoreBlobs.SpaceIdLength, "space id");
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            throw new InvalidStoreInputException("membership entry list", "it is empty");
        }

        foreach (var entry in entries)
        {
            StoreBlobs.RequireBlob(entry, StoreBlobs.MaxSmallBlobBytes, "membership entry");
        }

        return transactions.Write((connection, transaction) =>
        {
            RequireSpace(connection, transaction, id);
            var next = (long)connection.Scalar(
                transaction,
                "SELECT COUNT(*) FROM space_entries WHERE space_id = $id",
                ("$id", id))!;
            if (expectedFirstSeq is { } expected && expected != next)
            {
                throw new InvalidStoreInputException(
                    "membership entry seq",
                    $"the entries start at seq {expected} but space {Convert.ToHexStringLower(id)} holds {next} entries (seq 0..{next - 1})");
            }

            using var insert = connection.Command(
                transaction,
                "INSERT INTO space_entries (space_id, seq, entry) VALUES ($id, $seq, $entry)",
                ("$id", id),
                ("$seq", 0L),
                ("$entry", Array.Empty<byte>()));
            foreach (var entry in entries)
            {
                insert.Parameters["$seq"].Value = next++;
                insert.Parameters["$entry"].Value = entry;
                insert.ExecuteNonQuery();
            }

            return next;
        });
    }

    /// <summary>
    /// Stores the protected content key of <paramref name="epoch"/>, replacing one stored for the
    /// same epoch (a key re-protected after a device import is the same key).
    /// </summary>
    public void PutKey(byte[] id, ulong epoch, byte[] protectedKey)
    {
        StoreBlobs.RequireLength(id, StoreBlobs.SpaceIdLength, "space id");
        StoreBlobs.RequireBlob(protectedKey, StoreBlobs.MaxSmallBlobBytes, "protected space key");
        if (epoch > long.MaxValue)
        {
            throw new InvalidStoreInputException("key epoch", $"it is {epoch}; at most {long.MaxValue} is stored");
        }

        transactions.Write((connection, transaction) =>
        {
            RequireSpace(connection, transaction, id);
            return connection.Execute(
                transaction,
                """
                INSERT INTO space_keys (space_id, epoch, protected_key) VALUES ($id, $epoch, $key)
                ON CONFLICT (space_id, epoch) DO UPDATE SET protected_key = excluded.protected_key
                """,
                ("$id", id),
                ("$epoch", (long)epoch),
                ("$key", protectedKey));
        });
    }

    /// <summary>Every stored space with its entries and keys, oldest first, read in one snapshot.</summary>
    public IReadOnlyList<SpaceRow> ListSpaces() =>
        transactions.Read((connection, transaction) =>
        {
            var spaces = new List<(byte[] Id, string Name, long Created, bool Personal)>();
            using (var command = connection.Command(transaction, "SELECT id, name, created_ms, personal FROM spaces ORDER BY created_ms, id"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    spaces.Add((ReadId(reader), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3) != 0));
                }
            }

            var entries = spaces.ToDictionary(s => Convert.ToHexString(s.Id), _ => new List<byte[]>());
            using (var command = connection.Command(transaction, "SELECT space_id, seq, entry FROM space_entries ORDER BY space_id, seq"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var list = Owned(entries, reader, "space_entries");
                    if (reader.GetInt64(1) != list.Count)
                    {
                        throw new StoreCorruptionException(
                            $"space_entries: space {Convert.ToHexStringLower((byte[])reader.GetValue(0))} has entry seq {reader.GetInt64(1)} where {list.Count} was expected; the rows were left as is",
                            null,
                            null);
                    }

                    list.Add((byte[])reader.GetValue(2));
                }
            }

            var keys = spaces.ToDictionary(s => Convert.ToHexString(s.Id), _ => new List<SpaceKeyRow>());
            using (var command = connection.Command(transaction, "SELECT space_id, epoch, protected_key FROM space_keys ORDER BY space_id, epoch"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    Owned(keys, reader, "space_keys").Add(new SpaceKeyRow((ulong)reader.GetInt64(1), (byte[])reader.GetValue(2)));
                }
            }

            return (IReadOnlyList<SpaceRow>)spaces
                .Select(s => new SpaceRow(s.Id, s.Name, s.Created, s.Personal, entries[Convert.ToHexString(s.Id)], keys[Convert.ToHexString(s.Id)]))
                .ToList();
        });

    /// <summary>Throws <see cref="SpaceNotFoundException"/> unless the space is stored (inside the caller's transaction).</summary>
    internal static void RequireSpace(SqliteConnection connection, SqliteTransaction transaction, byte[] id)
    {
        if (!Exists(connection, transaction, id))
        {
            throw new SpaceNotFoundException(id);
        }
    }

    private static bool Exists(SqliteConnection connection, SqliteTransaction transaction, byte[] id) =>
        connection.Scalar(transaction, "SELECT 1 FROM spaces WHERE id = $id", ("$id", id)) is not null;

    /// <summary>
    /// The list of the space that owns the current row. The foreign key makes an orphan row
    /// impossible through this store; a tool that wrote one with foreign keys off gets a clear
    /// error rather than a KeyNotFoundException.
    /// </summary>
    private static List<T> Owned<T>(Dictionary<string, List<T>> bySpace, SqliteDataReader reader, string table) =>
        reader.GetValue(0) is byte[] id && bySpace.TryGetValue(Convert.ToHexString(id), out var list)
            ? list
            : throw new StoreCorruptionException($"{table}: a row belongs to no stored space; the rows were left as is", null, null);

    private static byte[] ReadId(SqliteDataReader reader)
    {
        var id = reader.GetValue(0) as byte[];
        if (id is not { Length: StoreBlobs.SpaceIdLength })
        {
            throw new StoreCorruptionException("spaces table: a stored space id is not 16 bytes; the row was left as is", null, null);
        }

        return id;
    }
}
