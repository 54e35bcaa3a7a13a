using Google.Protobuf;
using P2PSync.Node.Identity;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Security.Spaces;

/// <summary>The peer-facing half of the directory: describing a space to a peer and applying what a peer describes.</summary>
internal sealed partial class SpaceDirectory
{
    /// <summary>Most entries (and wrapped keys) one SpaceState may carry; matches the envelope validator's cap.</summary>
    public const int MaxStateEntries = 10_000;

    // Keys already sealed per (space, epoch, recipient): a SpaceState goes out on every connection,
    // and sealing (an X25519 exchange) per key per connection dominated reconnect-heavy runs.
    // Handing the same recipient the same sealed bytes again reveals nothing new.
    private readonly Dictionary<(SpaceId Space, ulong Epoch, DeviceId Recipient), byte[]> _wraps = [];

    /// <summary>
    /// The state of <paramref name="space"/> for <paramref name="recipient"/>: its name, every
    /// entry, and every key epoch held, wrapped to the recipient, when the recipient is a current
    /// member (no keys otherwise, so a removed device is told it was removed and nothing more).
    /// </summary>
    /// <exception cref="KeyNotFoundException">The space is unknown.</exception>
    public SpaceState DescribeFor(SpaceId space, DeviceId recipient)
    {
        var target = Require(space);
        var state = new SpaceState { SpaceId = ByteString.CopyFrom(space.Bytes), Name = target.Name };
        foreach (var entry in target.Log.Entries)
        {
            state.Entries.Add(ByteString.CopyFrom(MembershipEntryCodec.Encode(entry)));
        }

        if (recipient.IsEmpty || target.Log.RoleOf(recipient) is null)
        {
            return state;
        }

        foreach (var epoch in target.Keys.Epochs)
        {
            if (!target.Keys.TryGet(epoch, out var key))
            {
                continue;
            }

            try
            {
                if (!_wraps.TryGetValue((space, epoch, recipient), out var wrapped))
                {
                    wrapped = SpaceKeyWrap.Wrap(key, recipient);
                    _wraps[(space, epoch, recipient)] = wrapped;
                }

                state.Keys.Add(new WrappedSpaceKey { Epoch = epoch, SealedKey = ByteString.CopyFrom(wrapped) });
            }
            catch (SpaceKeyException ex) when (ex.Problem == SpaceKeyProblem.InvalidRecipient)
            {
                // An owner signed in a key that is no curve point: no device can hold its secret, so there is nobody to send keys to.
                state.Keys.Clear();
                break;
            }
        }

        return state;
    }

    /// <summary>
    /// Applies a SpaceState a peer sent. All or nothing for the log: every entry is decoded and
    /// checked on a copy (right space, right position, valid signatures and authority, no fork from
    /// what is held) before the real log changes. An unknown space is adopted only when its genesis
    /// is valid and this device is a current member afterwards. Keys are taken only for epochs the
    /// log has reached, from a sender that is a current member, when this device is one too; a key
    /// that cannot be unwrapped (sealed to another device, altered, another epoch inside) is
    /// ignored with a note and does not spoil the rest.
    /// </summary>
    /// <param name="from">The device the state came from, as authenticated by the channel.</param>
    /// <returns>Never throws for anything a peer can send; a refusal is an outcome with a reason.</returns>
    public SpaceStateOutcome ApplyState(SpaceState state, DeviceId from, DeviceKey self)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(self);
        if (state.SpaceId.Length != SpaceId.Length)
        {
            return SpaceStateOutcome.Refused(default, SpaceStateRefusal.MalformedSpaceId, $"the space id is {state.SpaceId.Length} bytes, not {SpaceId.Length}");
        }

        var id = SpaceId.FromBytes(state.SpaceId.Span);
        if (state.Entries.Count > MaxStateEntries || state.Keys.Count > MaxStateEntries)
        {
            return SpaceStateOutcome.Refused(id, SpaceStateRefusal.TooLarge, $"it carries {state.Entries.Count} entries and {state.Keys.Count} keys; at most {MaxStateEntries} of each are accepted");
        }

        var entries = new List<MembershipEntry>(state.Entries.Count);
        for (var i = 0; i < state.Entries.Count; i++)
        {
            MembershipEntry entry;
            try
            {
                entry = MembershipEntryCodec.Read(state.Entries[i].Span);
            }
            catch (MembershipFormatException ex)
            {
                return SpaceStateOutcome.Refused(id, SpaceStateRefusal.MalformedEntry, $"entry {i} is malformed: {ex.Message}");
            }

            // A SpaceState lists the whole log from genesis; anything else is a replay at a wrong position.
            if (entry.Sequence != (ulong)i)
            {
                return SpaceStateOutcome.Refused(id, SpaceStateRefusal.MisplacedEntry, $"entry {i} carries sequence number {entry.Sequence}");
            }

            if (entry.Space != id)
            {
                return SpaceStateOutcome.Refused(id, SpaceStateRefusal.ForeignEntry, $"entry {i} belongs to space {entry.Space}");
            }

            entries.Add(entry);
        }

        return Find(id) is { } known
            ? ApplyToKnown(known, entries, state, from, self)
            : Adopt(id, entries, state, from, self);
    }

    private SpaceStateOutcome ApplyToKnown(Space space, List<MembershipEntry> entries, SpaceState state, DeviceId from, DeviceKey self)
    {
        var log = space.Log;
        var held = log.Entries.Count;

        // What both hold must be the same entries, byte for byte: anything else is a fork (or a re-signed copy).
        for (var i = 0; i < Math.Min(held, entries.Count); i++)
        {
            if (!SameEntry(log.Entries[i], entries[i]))
            {
                return SpaceStateOutcome.Refused(space.Id, SpaceStateRefusal.Fork, $"entry {i} differs from the one this device holds (a fork of the log)");
            }
        }

        var fresh = entries.Skip(held).ToList();
        var trial = log;
        if (fresh.Count > 0)
        {
            trial = Replay(log);
            if (TryApply(trial, fresh) is { } problem)
            {
                return SpaceStateOutcome.Refused(space.Id, SpaceStateRefusal.EntryRefused, problem);
            }
        }

        var notes = new List<string>();
        var keys = UnwrapKeys(space.Id, space.Keys, trial, state, from, self, notes);
        foreach (var entry in fresh)
        {
            // Cannot refuse: the same entries were just accepted by an identical copy of this log.
            log.Apply(entry);
        }

        AddKeys(space.Keys, keys);
        return SpaceStateOutcome.Applied(space, adopted: false, fresh, keys, notes);
    }

    private SpaceStateOutcome Adopt(SpaceId id, List<MembershipEntry> entries, SpaceState state, DeviceId from, DeviceKey self)
    {
        if (entries.Count == 0)
        {
            return SpaceStateOutcome.Refused(id, SpaceStateRefusal.NoLog, "the space is unknown here and the state carries no membership log");
        }

        try
        {
            EnvelopeValidator.ValidateName(state.Name);
        }
        catch (WireFormatException ex)
        {
            return SpaceStateOutcome.Refused(id, SpaceStateRefusal.BadName, $"the space name is not acceptable: {ex.Message}");
        }

        var log = new MembershipLog(id);
        if (TryApply(log, entries) is { } problem)
        {
            return SpaceStateOutcome.Refused(id, SpaceStateRefusal.EntryRefused, problem);
        }

        if (log.RoleOf(self.Id) is null)
        {
            return SpaceStateOutcome.Refused(id, SpaceStateRefusal.NotAMember, "this device is not a member of the space");
        }

        var notes = new List<string>();
        var ring = new SpaceKeyRing();
        var keys = UnwrapKeys(id, ring, log, state, from, self, notes);
        AddKeys(ring, keys);
        var space = new Space(id, state.Name, log, ring, personal: false, _time.GetUtcNow().ToUnixTimeMilliseconds());
        Add(space);
        return SpaceStateOutcome.Applied(space, adopted: true, entries, keys, notes);
    }

    // Applies entries in order; the refusal as one sentence, or null when all applied.
    private static string? TryApply(MembershipLog log, List<MembershipEntry> entries)
    {
        foreach (var entry in entries)
        {
            try
            {
                log.Apply(entry);
            }
            catch (MembershipException ex)
            {
                return $"{ex.Refusal}: {ex.Message}";
            }
        }

        return null;
    }

    // The keys of the state this device should take, unwrapped, lowest epoch first. Nothing is added to the ring here.
    private static List<SpaceKey> UnwrapKeys(
        SpaceId id, SpaceKeyRing ring, MembershipLog log, SpaceState state, DeviceId from, DeviceKey self, List<string> notes)
    {
        var keys = new List<SpaceKey>();
        if (state.Keys.Count == 0)
        {
            return keys;
        }

        if (log.RoleOf(self.Id) is null)
        {
            notes.Add($"space {id}: {state.Keys.Count} keys ignored: this device is not a member");
            return keys;
        }

        // A sealed box says nothing about who sealed it; only devices that hold the keys legitimately may hand them out.
        if (from.IsEmpty || log.RoleOf(from) is null)
        {
            notes.Add($"space {id}: {state.Keys.Count} keys ignored: the sender is not a member");
            return keys;
        }

        var seen = new HashSet<ulong>();
        foreach (var wrapped in state.Keys)
        {
            var epoch = wrapped.Epoch;
            if (!seen.Add(epoch))
            {
                notes.Add($"space {id}: a second key for epoch {epoch} ignored");
                continue;
            }

            // A key ahead of the log could be anybody's: the epoch only exists once an owner's RotateKey says so.
            if (epoch > log.CurrentEpoch)
            {
                notes.Add($"space {id}: key for epoch {epoch} ignored: the log is at epoch {log.CurrentEpoch}");
                continue;
            }

            if (ring.TryGet(epoch, out _))
            {
                continue;
            }

            try
            {
                keys.Add(SpaceKeyWrap.Unwrap(wrapped.SealedKey.Span, epoch, self));
            }
            catch (SpaceKeyException ex)
            {
                notes.Add($"space {id}: key for epoch {epoch} ignored: {ex.Message}");
            }
        }

        keys.Sort((a, b) => a.Epoch.CompareTo(b.Epoch));
        return keys;
    }

    private static void AddKeys(SpaceKeyRing ring, List<SpaceKey> keys)
    {
        foreach (var key in keys)
        {
            // Cannot conflict: only epochs the ring lacked were unwrapped, each once.
            ring.Add(key);
        }
    }

    private static bool SameEntry(MembershipEntry held, MembershipEntry offered)
        => held.Hash.SequenceEqual(offered.Hash) && held.Signature.SequenceEqual(offered.Signature);
}
