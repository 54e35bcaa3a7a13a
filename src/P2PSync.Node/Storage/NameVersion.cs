namespace P2PSync.Node.Storage;

/// <summary>
/// A document name together with the stamp that set it: the one last-writer-wins rule for
/// renames, shared by the store (<see cref="DocumentRepository.AcceptAnnounced"/>) and the sync
/// layer (P2PSync.Node.Sync.NameStamp and PeerSyncSession). It lives here, in the lower layer, so
/// both compare with the same code; two copies of the rule once disagreed on same-millisecond
/// renames and left two nodes with different names for good.
/// </summary>
/// <remarks>
/// Order: the larger <see cref="ChangedMs"/> wins; equal times go to the ordinally larger
/// <see cref="ChangedBy"/> (DeviceId text; empty, from stores that did not record the device,
/// loses every tie); identical stamps go to the ordinally larger <see cref="Name"/>. Ordinal
/// comparison only: a culture-aware one could order the same strings differently on two machines.
/// </remarks>
/// <param name="Name">The document name.</param>
/// <param name="ChangedMs">When the name was set, Unix milliseconds (a hybrid clock, see NameStamp.Next).</param>
/// <param name="ChangedBy">DeviceId text of the device that set it, or empty when unknown.</param>
internal readonly record struct NameVersion(string Name, long ChangedMs, string ChangedBy) : IComparable<NameVersion>
{
    /// <summary>Orders two stamps (time, then device) without looking at names.</summary>
    public static int CompareStamps(long changedMs, string? changedBy, long otherChangedMs, string? otherChangedBy)
    {
        var byTime = changedMs.CompareTo(otherChangedMs);
        return byTime != 0 ? byTime : string.CompareOrdinal(changedBy ?? "", otherChangedBy ?? "");
    }

    /// <inheritdoc />
    public int CompareTo(NameVersion other)
    {
        var byStamp = CompareStamps(ChangedMs, ChangedBy, other.ChangedMs, other.ChangedBy);
        return byStamp != 0 ? byStamp : string.CompareOrdinal(Name ?? "", other.Name ?? "");
    }

    /// <summary>True when this name replaces <paramref name="current"/> (equal versions change nothing, so announcements never loop).</summary>
    public bool WinsOver(NameVersion current) => CompareTo(current) > 0;
}
