using System.Net.WebSockets;
using Google.Protobuf;
using Google.Protobuf.Collections;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Invites;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Transport.Relay;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Hosting;

/// <summary>
/// Joining through the relay while the inviter is offline (docs/protocol/join.md, "Through the
/// relay"): fetch the invite topic, open the newest package the inviter left there, claim the
/// invite (AddMember signed by the invite key), adopt the space, take in its documents and
/// records through the normal intake, tell the members through the space's topic, and only then
/// acknowledge the invite topic (so a joiner that fails halfway can try again).
/// </summary>
internal static class RelayJoin
{
    /// <summary>Redeems <paramref name="code"/> from what its inviter left on <paramref name="relay"/>; returns the space joined.</summary>
    /// <exception cref="JoinFailedException">Nothing on the relay, a package that does not check out, a used or closed invite, or the relay unreachable.</exception>
    public static async Task<Space> JoinAsync(InviteCode code, Uri relay, DeviceKey key, NodeSpaces spaces, DocumentHub hub, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(relay);
        var topic = RelayInviteKeys.Topic(InviteSecrets.InviteId(code.Secret));
        MailboxClient client;
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(NodeRelay.MailboxUri(relay), cancellationToken).ConfigureAwait(false);
            client = await MailboxClient.ConnectAsync(socket, key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or MailboxException or IOException)
        {
            socket.Dispose();
            throw new JoinFailedException($"could not reach the relay {relay}: {ex.Message}", ex);
        }

        await using (client.ConfigureAwait(false))
        {
            try
            {
                return await ClaimAsync(client, code, topic, key, spaces, hub, cancellationToken).ConfigureAwait(false);
            }
            catch (MailboxException ex)
            {
                throw new JoinFailedException($"the relay refused a request: {ex.Message}", ex);
            }
        }
    }

    private static async Task<Space> ClaimAsync(MailboxClient client, InviteCode code, byte[] topic, DeviceKey key, NodeSpaces spaces, DocumentHub hub, CancellationToken cancellationToken)
    {
        var (package, author, records, lastCursor, refusal) = await FetchAsync(client, code, topic, cancellationToken).ConfigureAwait(false);
        if (package is null)
        {
            throw new JoinFailedException(refusal is null
                ? "the inviter is offline and left nothing on the relay for this code (it was used, expired, or made without a relay)"
                : Describe(refusal));
        }

        // Someone may have joined with another invite since the package was made: claim at the head
        // of the newest log on the space's topic, or members would refuse this claim as a fork.
        var newer = await NewerLogAsync(client, package, cancellationToken).ConfigureAwait(false);
        SpaceState state;
        try
        {
            state = ClaimAtHead(code, author, package, newer, key);
        }
        catch (InvitePackageException ex)
        {
            throw new JoinFailedException(Describe(ex));
        }

        var space = spaces.AcceptClaimed(state, code.Inviter);
        foreach (var doc in package.Docs)
        {
            if (doc.SpaceId.Span.SequenceEqual(space.Id.Bytes))
            {
                hub.Accept(DocumentAnnouncements.ToRecord(doc, space.Id), new RelayOrigin());
            }
        }

        foreach (var record in records)
        {
            TakeIn(hub, spaces, record);
        }

        await hub.WhenDurableAsync().ConfigureAwait(false);
        await AnnounceAsync(client, space.Id, key, spaces, cancellationToken).ConfigureAwait(false);
        await client.AckAsync(topic, lastCursor, cancellationToken).ConfigureAwait(false);
        return space;
    }

    /// <summary>Every envelope of the invite topic: the newest package that opens and verifies (a later one holds a newer log), and the records.</summary>
    private static async Task<(InvitePackage? Package, DeviceId Author, List<byte[]> Records, ulong LastCursor, InvitePackageException? Refusal)> FetchAsync(
        MailboxClient client, InviteCode code, byte[] topic, CancellationToken cancellationToken)
    {
        InvitePackage? package = null;
        DeviceId author = default;
        InvitePackageException? refusal = null;
        var records = new List<byte[]>();
        ulong cursor = 0;
        while (true)
        {
            var batch = await client.FetchAsync(topic, cursor, 0, cancellationToken).ConfigureAwait(false);
            foreach (var item in batch.Items)
            {
                cursor = Math.Max(cursor, item.Cursor);
                try
                {
                    var opened = InvitePackageBox.Open(item.Envelope.Span, code.Secret);
                    if (opened.Kind == SealedEnvelopeKind.SignedRecord)
                    {
                        records.Add(opened.Plaintext);
                        continue;
                    }

                    (author, package) = InvitePackageBox.ReadPackage(opened.Plaintext);
                }
                catch (InvitePackageException ex)
                {
                    // Anyone may post to a topic; junk there must not hide a good package, but is reported if nothing else is found.
                    refusal ??= ex;
                }
            }

            if (!batch.More || batch.Items.Count == 0)
            {
                return (package, author, records, cursor, refusal);
            }
        }
    }

    /// <summary>The claim on the newer log when it checks out; otherwise (say, a junk state on the topic) on the package's own log.</summary>
    private static SpaceState ClaimAtHead(InviteCode code, DeviceId author, InvitePackage package, RepeatedField<ByteString>? newer, DeviceKey key)
    {
        if (newer is not null)
        {
            var extended = package.Clone();
            extended.Entries.Clear();
            extended.Entries.Add(newer);
            try
            {
                return RelayInviteClaim.Claim(code, author, extended, key);
            }
            catch (InvitePackageException ex) when (ex.Problem == InvitePackageProblem.InvalidLog)
            {
                // Entries are self-authenticating: a log that does not replay is ignored, not trusted.
            }
        }

        return RelayInviteClaim.Claim(code, author, package, key);
    }

    /// <summary>
    /// The longest log on the space's topic, sealed under a key of the package, that extends the
    /// package's log (joiners post their new log that way, see <see cref="AnnounceAsync"/>); null
    /// when there is none. Everything else on the topic (records, states sealed to one device, junk) is passed over.
    /// </summary>
    private static async Task<RepeatedField<ByteString>?> NewerLogAsync(MailboxClient client, InvitePackage package, CancellationToken cancellationToken)
    {
        if (package.SpaceId.Length != SpaceId.Length)
        {
            return null;
        }

        var space = SpaceId.FromBytes(package.SpaceId.Span);
        using var ring = new SpaceKeyRing();
        foreach (var raw in package.Keys.Where(k => k.Key.Length == SpaceKey.Length))
        {
            using var key = new SpaceKey(raw.Epoch, raw.Key.Span);
            try
            {
                ring.Add(key);
            }
            catch (SpaceKeyException)
            {
                // Two keys for one epoch: the package is refused later; no log from the topic either way.
                return null;
            }
        }

        var topic = RelayTopics.For(space);
        RepeatedField<ByteString>? longest = null;
        ulong cursor = 0;
        while (true)
        {
            var batch = await client.FetchAsync(topic, cursor, 0, cancellationToken).ConfigureAwait(false);
            foreach (var item in batch.Items)
            {
                cursor = Math.Max(cursor, item.Cursor);
                try
                {
                    var opened = SpaceSealer.Open(item.Envelope.Span, space, ring);
                    if (opened.Kind != SealedEnvelopeKind.NodeMessage)
                    {
                        continue;
                    }

                    var (_, message) = SignedMessages.Open(opened.Plaintext);
                    if (message.BodyCase == Envelope.BodyOneofCase.Space
                        && message.Space.SpaceId == package.SpaceId
                        && message.Space.Entries.Count > (longest ?? package.Entries).Count
                        && message.Space.Entries.Take(package.Entries.Count).SequenceEqual(package.Entries))
                    {
                        longest = message.Space.Entries;
                    }
                }
                catch (Exception ex) when (ex is SealedEnvelopeException or FormatException)
                {
                    // Not a log this device can read yet; passed over.
                }
            }

            if (!batch.More || batch.Items.Count == 0)
            {
                return longest;
            }
        }
    }

    private static void TakeIn(DocumentHub hub, NodeSpaces spaces, byte[] bytes)
    {
        try
        {
            var record = SignedRecordCodec.Decode(bytes);
            if (hub.Get(record.DocId) is not null)
            {
                hub.Batch(() => HubSyncSource.Intake(hub, spaces, record.DocId, [bytes], record.Author, new RelayOrigin()));
            }
        }
        catch (Exception ex) when (ex is RecordFormatException or Crdt.UpdateFormatException or FormatException or UnknownDocumentException or Storage.InvalidStoreInputException)
        {
            // A record that does not check out is skipped, exactly as from sync; the rest still applies.
        }
    }

    /// <summary>
    /// The new log to every other member through the space's topic, so members that never meet this
    /// device learn it joined; and once more, without keys, sealed under the space's current key, so
    /// the next joiner of another invite (who holds the keys from its package, but no member's
    /// device key) claims after this entry instead of forking the log. A removed member lacks the
    /// current key, so it cannot read that copy.
    /// </summary>
    private static async Task AnnounceAsync(MailboxClient client, SpaceId space, DeviceKey key, NodeSpaces spaces, CancellationToken cancellationToken)
    {
        var topic = RelayTopics.For(space);
        var forJoiners = new Envelope { Space = spaces.DescribeFor(space, default) };
        await client.PostAsync(topic, spaces.Seal(space, SealedEnvelopeKind.NodeMessage, SignedMessages.Sign(key, forJoiners)), 0, cancellationToken).ConfigureAwait(false);
        var members = spaces.Find(space)?.Log.Members.Keys.Where(m => !m.Equals(key.Id)).ToList() ?? [];
        foreach (var member in members)
        {
            var state = new Envelope { Space = spaces.DescribeFor(space, member) };
            // Sealed to that member's device, as every membership update through the relay (relay-node.md).
            await client.PostAsync(topic, DeviceSealedEnvelope.Seal(space, member, SignedMessages.Sign(key, state)), 0, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Describe(InvitePackageException refusal) => refusal.Problem switch
    {
        InvitePackageProblem.Forged or InvitePackageProblem.Malformed => $"the invite package on the relay does not open with this code (altered, or not left by the inviter): {refusal.Message}",
        InvitePackageProblem.BadSignature or InvitePackageProblem.WrongInviter => $"the invite package on the relay is not signed by the inviter: {refusal.Message}",
        _ => $"the invite package on the relay was refused: {refusal.Message}",
    };
}
