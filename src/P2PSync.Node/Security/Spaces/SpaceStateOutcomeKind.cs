namespace P2PSync.Node.Security.Spaces;

/// <summary>What applying a peer's SpaceState did.</summary>
internal enum SpaceStateOutcomeKind
{
    /// <summary>Nothing new: every entry and key was already held (or keys were ignored, see the notes).</summary>
    Unchanged,

    /// <summary>A known space gained entries, keys or both.</summary>
    Changed,

    /// <summary>A space this device did not know, in which it is a member, was added.</summary>
    Adopted,

    /// <summary>The state was refused as a whole and nothing changed; the reason says why.</summary>
    Refused,
}
