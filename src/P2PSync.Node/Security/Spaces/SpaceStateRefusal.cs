namespace P2PSync.Node.Security.Spaces;

/// <summary>Why <see cref="SpaceDirectory.ApplyState"/> refused a peer's SpaceState as a whole; logs and tests tell the cases apart by it.</summary>
internal enum SpaceStateRefusal
{
    /// <summary>The space id is not 16 bytes.</summary>
    MalformedSpaceId,

    /// <summary>More entries or keys than one state may carry.</summary>
    TooLarge,

    /// <summary>An entry's bytes are not a membership entry.</summary>
    MalformedEntry,

    /// <summary>An entry sits at a position other than its sequence number (reordered, repeated or missing entries).</summary>
    MisplacedEntry,

    /// <summary>An entry names another space.</summary>
    ForeignEntry,

    /// <summary>An entry differs from the one this device holds at the same position: the logs have forked.</summary>
    Fork,

    /// <summary>A new entry is refused by the membership log (signature, genesis, authority, ...); the reason names the rule.</summary>
    EntryRefused,

    /// <summary>The space is unknown here and the state carries no log to adopt it from.</summary>
    NoLog,

    /// <summary>The space is unknown here and its name breaks the name rules.</summary>
    BadName,

    /// <summary>The space is unknown here and this device is not a member of it.</summary>
    NotAMember,
}
