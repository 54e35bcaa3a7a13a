namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// The result of <see cref="SpaceDirectory.ApplyState"/>. For Changed and Adopted it carries
/// exactly what is new, so the host persists those entries and keys and nothing else. The keys
/// are the caller's own copies (the ring holds others): protect them for the store, then dispose.
/// <see cref="Notes"/> are human lines for the log about keys that were ignored while the rest of
/// the state was applied (sealed to another device, wrong epoch, from a non-member, ...).
/// </summary>
internal sealed class SpaceStateOutcome
{
    private SpaceStateOutcome(
        SpaceStateOutcomeKind kind, SpaceId spaceId, Space? space, SpaceStateRefusal? refusal, string? reason,
        IReadOnlyList<MembershipEntry> newEntries, IReadOnlyList<SpaceKey> newKeys, IReadOnlyList<string> notes)
    {
        Kind = kind;
        SpaceId = spaceId;
        Space = space;
        Refusal = refusal;
        Reason = reason;
        NewEntries = newEntries;
        NewKeys = newKeys;
        Notes = notes;
    }

    public SpaceStateOutcomeKind Kind { get; }

    /// <summary>The space the state was about; empty when its id was not even a space id.</summary>
    public SpaceId SpaceId { get; }

    /// <summary>The space after applying; null when refused.</summary>
    public Space? Space { get; }

    /// <summary>Which rule refused the state; null unless refused.</summary>
    public SpaceStateRefusal? Refusal { get; }

    /// <summary>Why the state was refused (one sentence for the log); null unless refused.</summary>
    public string? Reason { get; }

    /// <summary>Entries appended to the log, in order (for Adopted: the whole log).</summary>
    public IReadOnlyList<MembershipEntry> NewEntries { get; }

    /// <summary>Keys added to the ring, lowest epoch first.</summary>
    public IReadOnlyList<SpaceKey> NewKeys { get; }

    /// <summary>Keys that were ignored, and why.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>True when the host has something to persist.</summary>
    public bool HasChanges => Kind is SpaceStateOutcomeKind.Changed or SpaceStateOutcomeKind.Adopted;

    public static SpaceStateOutcome Refused(SpaceId spaceId, SpaceStateRefusal refusal, string reason)
        => new(SpaceStateOutcomeKind.Refused, spaceId, null, refusal, reason, [], [], []);

    public static SpaceStateOutcome Applied(
        Space space, bool adopted, IReadOnlyList<MembershipEntry> newEntries, IReadOnlyList<SpaceKey> newKeys, IReadOnlyList<string> notes)
    {
        var kind = adopted
            ? SpaceStateOutcomeKind.Adopted
            : newEntries.Count > 0 || newKeys.Count > 0 ? SpaceStateOutcomeKind.Changed : SpaceStateOutcomeKind.Unchanged;
        return new(kind, space.Id, space, null, null, newEntries, newKeys, notes);
    }

    public override string ToString() => Kind switch
    {
        SpaceStateOutcomeKind.Refused => $"space {SpaceId}: refused ({Refusal}): {Reason}",
        _ => $"space {SpaceId}: {Kind} (+{NewEntries.Count} entries, +{NewKeys.Count} keys, {Notes.Count} notes)",
    };
}
