using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// One space as this device holds it: its id and name, its membership log (who may read and
/// write, and the current key epoch) and the content keys it holds. The log and the ring change in
/// place as entries and keys arrive (through <see cref="SpaceDirectory"/> only), so a reference to
/// a space always sees its current members.
/// </summary>
internal sealed class Space
{
    /// <exception cref="ArgumentException">The log belongs to another space, or the name breaks the name rules.</exception>
    public Space(SpaceId id, string name, MembershipLog log, SpaceKeyRing keys, bool personal, long createdMs)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(keys);
        if (id.IsEmpty || log.Space != id)
        {
            throw new ArgumentException($"The membership log belongs to space {log.Space}, not {id}.", nameof(log));
        }

        RequireValidName(name);
        Id = id;
        Name = name;
        Log = log;
        Keys = keys;
        Personal = personal;
        CreatedMs = createdMs;
    }

    public SpaceId Id { get; }

    /// <summary>What people call the space. Not signed: it is shown to members only and never decides anything.</summary>
    public string Name { get; }

    /// <summary>The signed membership log: members, roles and the current key epoch.</summary>
    public MembershipLog Log { get; }

    /// <summary>The content keys this device holds, by epoch.</summary>
    public SpaceKeyRing Keys { get; }

    /// <summary>True for this device's own personal space (where documents live unless put elsewhere).</summary>
    public bool Personal { get; }

    /// <summary>When this device created or first learned of the space (Unix milliseconds).</summary>
    public long CreatedMs { get; }

    /// <summary>
    /// A space rebuilt from what the store (or a device backup) kept: every entry is decoded and
    /// applied again, so a damaged or tampered store cannot smuggle in a membership the log would
    /// refuse. The ring takes copies of <paramref name="keys"/>; the caller still owns them.
    /// </summary>
    /// <exception cref="MembershipFormatException">An entry is not a membership entry.</exception>
    /// <exception cref="MembershipException">The entries do not form a valid log of this space.</exception>
    /// <exception cref="SpaceKeyException">Two different keys for one epoch.</exception>
    public static Space Restore(
        SpaceId id, string name, bool personal, long createdMs, IEnumerable<byte[]> entries, IEnumerable<SpaceKey> keys)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(keys);
        var log = new MembershipLog(id);
        foreach (var bytes in entries)
        {
            log.Apply(MembershipEntryCodec.Read(bytes));
        }

        var ring = new SpaceKeyRing();
        try
        {
            foreach (var key in keys)
            {
                ring.Add(key);
            }

            return new Space(id, name, log, ring, personal, createdMs);
        }
        catch
        {
            ring.Dispose();
            throw;
        }
    }

    public override string ToString() => $"space {Id} '{Name}'";

    /// <summary>The document name rules apply to spaces too: a peer must not plant a name the CLI could not have made.</summary>
    internal static void RequireValidName(string name)
    {
        try
        {
            EnvelopeValidator.ValidateName(name);
        }
        catch (WireFormatException ex)
        {
            throw new ArgumentException($"Not a valid space name: {ex.Message.Replace("document name", "the name", StringComparison.Ordinal)}.", nameof(name), ex);
        }
    }
}
