using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Invites;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Sync;
using P2PSync.Node.Transport.Relay;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The inviter's half of invites through the relay (docs/protocol/join.md, "Through the relay"):
/// for every invite of this device that is open in its space's log, the invite package (log,
/// keys, documents) and then every record of the space go to the invite topic, sealed under the
/// invite box key, kept by the relay until the invite expires. While the invite stays open, later
/// records of the space follow, so a joiner who comes after this node stopped misses nothing.
/// Driven by <see cref="NodeRelay"/> on its one mailbox connection (one caller at a time).
/// </summary>
internal sealed class NodeRelayInvites
{
    private readonly DeviceKey _key;
    private readonly DocumentHub _hub;
    private readonly NodeSpaces _spaces;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Invites whose package this process posted (by invite id, hex), with the documents the package announced.
    private readonly ConcurrentDictionary<string, PostedInvite> _posted = new(StringComparer.Ordinal);

    public NodeRelayInvites(DeviceKey key, DocumentHub hub, NodeSpaces spaces, TimeProvider time, ILogger logger)
    {
        _key = key;
        _hub = hub;
        _spaces = spaces;
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether some invite package is out (then records taken in from peers are worth forwarding too).</summary>
    public bool HasPosted => !_posted.IsEmpty;

    /// <summary>
    /// Closes expired relay invites in their logs, then posts the package of every open one not
    /// posted by this process yet (on each connection after a restart: the joiner takes the newest).
    /// </summary>
    public async Task PostPendingAsync(MailboxClient client, CancellationToken cancellationToken)
    {
        var closed = _spaces.CloseExpiredRelayInvites();
        if (closed > 0)
        {
            _logger.LogInformation("relay: closed {Count} expired invite(s) nobody claimed", closed);
        }

        var open = ForgetClosed();
        foreach (var invite in open.Where(i => !_posted.ContainsKey(Key(i.Id))))
        {
            await PostPackageAsync(client, invite, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The space's log changed (here or from a peer): a joiner must claim at the head of the log,
    /// or members would refuse its entry as a fork, so every posted package of the space whose log
    /// is now behind goes out again (the joiner takes the newest).
    /// </summary>
    public async Task RefreshAsync(MailboxClient client, SpaceId space, CancellationToken cancellationToken)
    {
        if (_posted.IsEmpty)
        {
            return;
        }

        var entries = _spaces.Find(space)?.Log.Entries.Count ?? 0;
        foreach (var posted in ForgetClosed().Where(i => i.Space == space).Select(i => _posted.GetValueOrDefault(Key(i.Id))).OfType<PostedInvite>().ToList())
        {
            if (posted.Entries < entries)
            {
                await PostPackageAsync(client, posted.Invite, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Records of a space with an open relay invite follow its package (a document the package did not announce: the package again).</summary>
    public async Task ForwardAsync(MailboxClient client, DocumentUpdate update, CancellationToken cancellationToken)
    {
        if (update.Records.Count == 0 || _hub.Get(update.DocId) is not { } doc || doc.Space.IsEmpty || _posted.IsEmpty)
        {
            return;
        }

        // Claimed (its new log came in through sync or the relay), closed or expired since: nobody will read it.
        ForgetClosed();

        foreach (var posted in _posted.Values.Where(p => p.Invite.Space == doc.Space).ToList())
        {
            if (!posted.Docs.Contains(doc.Id))
            {
                await PostPackageAsync(client, posted.Invite, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var topic = RelayInviteKeys.Topic(posted.Invite.Id);
            foreach (var record in update.Records)
            {
                await TryPostAsync(client, topic, InvitePackageBox.SealRecord(record, posted.Invite.Secret), Ttl(posted.Invite), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PostPackageAsync(MailboxClient client, PendingInvite invite, CancellationToken cancellationToken)
    {
        var docs = _hub.List().Where(d => d.Space == invite.Space).ToList();
        var package = _spaces.DescribeForInvite(invite.Space, invite.Id);
        package.Docs.Add(docs.Select(DocumentAnnouncements.ToAnnounce));
        var topic = RelayInviteKeys.Topic(invite.Id);
        var ttl = Ttl(invite);
        if (!await TryPostAsync(client, topic, InvitePackageBox.SealPackage(package, _key, invite.Secret), ttl, cancellationToken).ConfigureAwait(false))
        {
            // Marked as posted all the same: the relay would refuse it again on every connection.
            _posted[Key(invite.Id)] = new PostedInvite(invite, [.. docs.Select(d => d.Id)], package.Entries.Count);
            _logger.LogError("relay: the invite package of space {Space} was refused by the relay; that invite works only on the LAN", invite.Space);
            return;
        }

        var records = 0;
        foreach (var doc in docs)
        {
            foreach (var record in _hub.RecordsBeyond(doc.Id, new RecordVector([])))
            {
                records += await TryPostAsync(client, topic, InvitePackageBox.SealRecord(record, invite.Secret), ttl, cancellationToken).ConfigureAwait(false) ? 1 : 0;
            }
        }

        // Only once all of it is out: a connection that breaks halfway makes the next one post it all again.
        _posted[Key(invite.Id)] = new PostedInvite(invite, [.. docs.Select(d => d.Id)], package.Entries.Count);
        _logger.LogInformation("relay: left the package of an invite to space {Space} on the relay ({Docs} document(s), {Records} record(s))", invite.Space, docs.Count, records);
    }

    /// <summary>The invites open for the relay now; posted ones that are not any more are forgotten.</summary>
    private IReadOnlyList<PendingInvite> ForgetClosed()
    {
        var open = _spaces.OpenRelayInvites();
        foreach (var gone in _posted.Keys.Except(open.Select(i => Key(i.Id)), StringComparer.Ordinal).ToList())
        {
            _posted.TryRemove(gone, out _);
        }

        return open;
    }

    /// <summary>
    /// Posts one envelope; false when the relay refuses it for its size or a quota. Such a refusal
    /// must not end the mailbox connection: it would be retried on every reconnection, forever.
    /// </summary>
    private async Task<bool> TryPostAsync(MailboxClient client, byte[] topic, byte[] envelope, uint ttl, CancellationToken cancellationToken)
    {
        try
        {
            await client.PostAsync(topic, envelope, ttl, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (MailboxException ex) when (ex.Code is "too_large" or "quota")
        {
            _logger.LogWarning("relay: an envelope of {Bytes} bytes for an invite topic was refused: {Reason}", envelope.Length, ex.Message);
            return false;
        }
    }

    // The relay keeps the package until the invite expires, and no longer.
    private uint Ttl(PendingInvite invite)
    {
        var seconds = (invite.ExpiresMs - _time.GetUtcNow().ToUnixTimeMilliseconds() + 999) / 1000;
        return (uint)Math.Clamp(seconds, 1, uint.MaxValue);
    }

    private static string Key(ReadOnlySpan<byte> inviteId) => Convert.ToHexStringLower(inviteId);

    /// <summary>A package out on the relay: the invite, the documents it announced and how many log entries it held.</summary>
    private sealed record PostedInvite(PendingInvite Invite, HashSet<string> Docs, int Entries);
}
