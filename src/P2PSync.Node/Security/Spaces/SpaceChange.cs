namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// What a local change to a space (create, add, change role, remove) produced, so the host can
/// persist exactly that: the entries appended to the log, in order, and the new content key, if
/// any. <see cref="NewKey"/> is the caller's own copy (the ring holds another): protect it for the
/// store, then dispose it.
/// </summary>
internal sealed record SpaceChange(Space Space, IReadOnlyList<MembershipEntry> NewEntries, SpaceKey? NewKey);
