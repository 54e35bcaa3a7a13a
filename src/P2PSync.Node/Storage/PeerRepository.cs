using System.Text.Json;
using Microsoft.Data.Sqlite;
using P2PSync.Crdt;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Storage;

/// <summary>
/// Known devices, where to dial them, and per-peer per-document sync state. A peer is either
/// trusted (one of my devices, <c>peer add</c>) or a member of a space we share that we dial
/// (<see cref="AddMemberPeer"/>); only trusted peers may connect without sharing a space.
/// Safe to use from several threads.
/// </summary>
internal sealed class PeerRepository
{
    private const string PeerColumns = "SELECT device_id, name, addresses, added_ms, last_seen_ms, trusted FROM peers";

    private readonly StoreTransactions transactions;
    private readonly TimeProvider time;

    public PeerRepository(StoreTransactions transactions, TimeProvider time)
    {
        this.transactions = transactions;
        this.time = time;
    }

    /// <summary>
    /// Trusts <paramref name="deviceId"/> (also a device known so far only as a space member).
    /// Adding a device that is already known keeps its added time and last-seen time; a non-null <paramref name="name"/> replaces its name and
    /// a non-empty <paramref name="addresses"/> replaces its addresses (an empty list keeps the
    /// old ones, so re-adding without addresses forgets nothing).
    /// </summary>
    public PeerInfo Add(DeviceId deviceId, string? name, IReadOnlyList<string> addresses)
    {
        RequireId(deviceId);
        if (name is not null)
        {
            DocumentNames.Validate(name, "peer name");
        }

        var normalised = PeerAddresses.ValidateAll(addresses);
        var now = NowMs();
        var key = deviceId.ToString();
        return transactions.Write((connection, transaction) =>
        {
            connection.Execute(
                transaction,
                """
                INSERT INTO peers (device_id, name, addresses, added_ms, trusted) VALUES ($id, $name, $addresses, $now, 1)
                ON CONFLICT (device_id) DO UPDATE SET
                    trusted = 1,
                    name = COALESCE(excluded.name, peers.name),
                    addresses = CASE WHEN $replace THEN excluded.addresses ELSE peers.addresses END
                """,
                ("$id", key),
                ("$name", name),
                ("$addresses", JsonSerializer.Serialize(normalised)),
                ("$now", now),
                ("$replace", normalised.Count > 0));
            return ReadPeer(connection, transaction, key)!;
        });
    }

    /// <summary>
    /// Records a member of a space we share so the node can dial it, WITHOUT trusting it: a
    /// device already known keeps its trust and name; non-empty <paramref name="addresses"/>
    /// replace its addresses (empty keeps them). A later <see cref="Add"/> makes it trusted.
    /// </summary>
    public PeerInfo AddMemberPeer(DeviceId deviceId, IReadOnlyList<string> addresses)
    {
        RequireId(deviceId);
        var normalised = PeerAddresses.ValidateAll(addresses);
        var now = NowMs();
        var key = deviceId.ToString();
        return transactions.Write((connection, transaction) =>
        {
            connection.Execute(
                transaction,
                """
                INSERT INTO peers (device_id, name, addresses, added_ms, trusted) VALUES ($id, NULL, $addresses, $now, 0)
                ON CONFLICT (device_id) DO UPDATE SET
                    addresses = CASE WHEN $replace THEN excluded.addresses ELSE peers.addresses END
                """,
                ("$id", key),
                ("$addresses", JsonSerializer.Serialize(normalised)),
                ("$now", now),
                ("$replace", normalised.Count > 0));
            return ReadPeer(connection, transaction, key)!;
        });
    }

    /// <summary>Replaces a known device's dial addresses (empty: we only wait for it to dial us).</summary>
    public PeerInfo SetAddresses(DeviceId deviceId, IReadOnlyList<string> addresses)
    {
        RequireId(deviceId);
        var normalised = PeerAddresses.ValidateAll(addresses);
        var key = deviceId.ToString();
        return transactions.Write((connection, transaction) =>
        {
            var changed = connection.Execute(
                transaction,
                "UPDATE peers SET addresses = $addresses WHERE device_id = $id",
                ("$id", key),
                ("$addresses", JsonSerializer.Serialize(normalised)));
            return changed == 0 ? throw new PeerNotFoundException(deviceId) : ReadPeer(connection, transaction, key)!;
        });
    }

    /// <summary>Forgets a device (trusted or member) and its sync state; false if it was not known.</summary>
    public bool Remove(DeviceId deviceId)
    {
        RequireId(deviceId);
        return transactions.Write((connection, transaction) =>
            connection.Execute(transaction, "DELETE FROM peers WHERE device_id = $id", ("$id", deviceId.ToString())) > 0);
    }

    /// <summary>
    /// Every trusted device, in the order they were added. Space members that are not trusted
    /// are left out, so callers that treat this list as "may connect" stay correct; see
    /// <see cref="ListAll"/>.
    /// </summary>
    public IReadOnlyList<PeerInfo> List() => ListWhere(" WHERE trusted = 1");

    /// <summary>Every known device, trusted or space member (see <see cref="PeerInfo.Trusted"/>), in the order they were added.</summary>
    public IReadOnlyList<PeerInfo> ListAll() => ListWhere("");

    private IReadOnlyList<PeerInfo> ListWhere(string filter) =>
        transactions.Read((connection, transaction) =>
        {
            using var command = connection.Command(transaction, PeerColumns + filter + " ORDER BY added_ms, device_id");
            using var reader = command.ExecuteReader();
            var peers = new List<PeerInfo>();
            while (reader.Read())
            {
                peers.Add(ReadPeerRow(reader));
            }

            return peers;
        });

    /// <summary>The known device (trusted or space member; see <see cref="PeerInfo.Trusted"/>), or null.</summary>
    public PeerInfo? Get(DeviceId deviceId)
    {
        RequireId(deviceId);
        return transactions.Read((connection, transaction) => ReadPeer(connection, transaction, deviceId.ToString()));
    }

    /// <summary>
    /// Whether <paramref name="deviceId"/> is one of my devices (<c>peer add</c>); a space member
    /// recorded by <see cref="AddMemberPeer"/> is not. The empty id never is.
    /// </summary>
    public bool IsTrusted(DeviceId deviceId) =>
        !deviceId.IsEmpty && transactions.Read((connection, transaction) =>
            connection.Scalar(transaction, "SELECT 1 FROM peers WHERE device_id = $id AND trusted = 1", ("$id", deviceId.ToString())) is not null);

    /// <summary>Records that a connection with the device is up now; false if it is not trusted (any more).</summary>
    public bool MarkSeen(DeviceId deviceId)
    {
        RequireId(deviceId);
        var now = NowMs();
        return transactions.Write(
            (connection, transaction) => connection.Execute(
                transaction,
                "UPDATE peers SET last_seen_ms = $now WHERE device_id = $id",
                ("$id", deviceId.ToString()),
                ("$now", now)) > 0,
            synced: false);
    }

    /// <summary>What we know of the peer's copy of the document, or null if nothing yet.</summary>
    public PeerSyncState? GetSyncState(DeviceId deviceId, string docId)
    {
        RequireId(deviceId);
        DocumentIds.Validate(docId);
        return transactions.Read((connection, transaction) =>
        {
            using var command = connection.Command(
                transaction,
                "SELECT remote_state_vector, sent_upto_seq, updated_ms FROM peer_sync WHERE device_id = $id AND doc_id = $doc",
                ("$id", deviceId.ToString()),
                ("$doc", docId));
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadSyncRow(reader, deviceId, docId) : null;
        });
    }

    /// <summary>The sync state of every document the peer has state for.</summary>
    public IReadOnlyList<PeerSyncState> ListSyncStates(DeviceId deviceId)
    {
        RequireId(deviceId);
        return transactions.Read((connection, transaction) =>
        {
            using var command = connection.Command(
                transaction,
                "SELECT remote_state_vector, sent_upto_seq, updated_ms, doc_id FROM peer_sync WHERE device_id = $id ORDER BY doc_id",
                ("$id", deviceId.ToString()));
            using var reader = command.ExecuteReader();
            var states = new List<PeerSyncState>();
            while (reader.Read())
            {
                states.Add(ReadSyncRow(reader, deviceId, reader.GetString(3)));
            }

            return states;
        });
    }

    /// <summary>Stores the state vector the peer sent for the document (SyncStep1); it must decode.</summary>
    public void SetRemoteStateVector(DeviceId deviceId, string docId, byte[] stateVector)
    {
        RequireId(deviceId);
        DocumentIds.Validate(docId);
        ArgumentNullException.ThrowIfNull(stateVector);
        try
        {
            Y.DecodeStateVector(stateVector);
        }
        catch (UpdateFormatException ex)
        {
            throw new InvalidStoreInputException("state vector", ex.Message, ex);
        }

        UpsertSync(
            deviceId,
            docId,
            "remote_state_vector = excluded.remote_state_vector",
            ("$sv", stateVector),
            ("$sent", 0L));
    }

    /// <summary>
    /// Records that every local update up to <paramref name="seq"/> has been sent to the peer.
    /// Never moves backwards: a late, smaller report leaves the larger one.
    /// </summary>
    public void MarkSent(DeviceId deviceId, string docId, long seq)
    {
        RequireId(deviceId);
        DocumentIds.Validate(docId);
        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        UpsertSync(
            deviceId,
            docId,
            "sent_upto_seq = MAX(peer_sync.sent_upto_seq, excluded.sent_upto_seq)",
            ("$sv", null),
            ("$sent", seq));
    }

    /// <summary>
    /// <see cref="MarkSent"/> for several documents in one (unsynced) commit; documents that no
    /// longer exist are skipped. Returns how many were recorded.
    /// </summary>
    public int MarkSent(DeviceId deviceId, IReadOnlyDictionary<string, long> sentUptoByDocument)
    {
        RequireId(deviceId);
        ArgumentNullException.ThrowIfNull(sentUptoByDocument);
        foreach (var (docId, seq) in sentUptoByDocument)
        {
            DocumentIds.Validate(docId);
            ArgumentOutOfRangeException.ThrowIfNegative(seq);
        }

        var now = NowMs();
        var key = deviceId.ToString();
        return transactions.Write(
            (connection, transaction) =>
            {
                if (connection.Scalar(transaction, "SELECT 1 FROM peers WHERE device_id = $id", ("$id", key)) is null)
                {
                    throw new PeerNotFoundException(deviceId);
                }

                var recorded = 0;
                foreach (var (docId, seq) in sentUptoByDocument)
                {
                    recorded += connection.Execute(
                        transaction,
                        """
                        INSERT INTO peer_sync (device_id, doc_id, sent_upto_seq, updated_ms)
                        SELECT $id, id, $sent, $now FROM documents WHERE id = $doc
                        ON CONFLICT (device_id, doc_id) DO UPDATE SET
                            sent_upto_seq = MAX(peer_sync.sent_upto_seq, excluded.sent_upto_seq), updated_ms = excluded.updated_ms
                        """,
                        ("$id", key),
                        ("$doc", docId),
                        ("$sent", seq),
                        ("$now", now));
                }

                return recorded;
            },
            synced: false);
    }

    private void UpsertSync(DeviceId deviceId, string docId, string assignment, (string, object?) stateVector, (string, object?) sent)
    {
        var now = NowMs();

        // Sync state is a cache of what the peer told us or was sent; losing it to a power cut
        // costs one redundant exchange, so it does not pay for an fsync.
        transactions.Write(
            (connection, transaction) =>
            {
                var key = deviceId.ToString();
                if (connection.Scalar(transaction, "SELECT 1 FROM peers WHERE device_id = $id", ("$id", key)) is null)
                {
                    throw new PeerNotFoundException(deviceId);
                }

                if (connection.Scalar(transaction, "SELECT 1 FROM documents WHERE id = $doc", ("$doc", docId)) is null)
                {
                    throw new DocumentNotFoundException(docId);
                }

                return connection.Execute(
                    transaction,
                    $"""
                    INSERT INTO peer_sync (device_id, doc_id, remote_state_vector, sent_upto_seq, updated_ms) VALUES ($id, $doc, $sv, $sent, $now)
                    ON CONFLICT (device_id, doc_id) DO UPDATE SET {assignment}, updated_ms = excluded.updated_ms
                    """,
                    ("$id", key),
                    ("$doc", docId),
                    stateVector,
                    sent,
                    ("$now", now));
            },
            synced: false);
    }

    private static PeerSyncState ReadSyncRow(SqliteDataReader reader, DeviceId deviceId, string docId) =>
        new(
            deviceId,
            docId,
            reader.IsDBNull(0) ? null : (byte[])reader.GetValue(0),
            reader.GetInt64(1),
            reader.GetInt64(2));

    private static PeerInfo? ReadPeer(SqliteConnection connection, SqliteTransaction transaction, string key)
    {
        using var command = connection.Command(transaction, PeerColumns + " WHERE device_id = $id", ("$id", key));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadPeerRow(reader) : null;
    }

    private static PeerInfo ReadPeerRow(SqliteDataReader reader)
    {
        var text = reader.GetString(0);
        if (!DeviceId.TryParse(text, out var deviceId))
        {
            throw new StoreCorruptionException($"peers table: stored device id '{text}' does not parse; the row was left as is", null, null);
        }

        string[] addresses;
        try
        {
            addresses = JsonSerializer.Deserialize<string[]>(reader.GetString(2)) ?? [];
        }
        catch (JsonException ex)
        {
            throw new StoreCorruptionException($"peers table: the addresses of {text} are not a JSON string array; the row was left as is", null, null, ex);
        }

        return new PeerInfo(
            deviceId,
            reader.IsDBNull(1) ? null : reader.GetString(1),
            addresses,
            reader.GetInt64(3),
            reader.IsDBNull(4) ? null : reader.GetInt64(4))
        {
            Trusted = reader.GetInt64(5) != 0,
        };
    }

    private static void RequireId(DeviceId deviceId)
    {
        if (deviceId.IsEmpty)
        {
            throw new InvalidStoreInputException("device id", "it is the empty (default) DeviceId");
        }
    }

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
