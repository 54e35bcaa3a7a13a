using P2PSync.Node.Storage;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Sync;

/// <summary>
/// When and by whom a document's name was last set. Renames resolve last-writer-wins on this
/// stamp: the larger <see cref="ChangedMs"/> wins; equal times go to the ordinally larger
/// <see cref="ChangedBy"/> (DeviceId text), so two devices that rename in the same millisecond
/// still pick the same winner. An empty <see cref="ChangedBy"/> (stores written before the
/// device was recorded) loses every tie. If the stamps are equal too, the ordinally larger name
/// wins. The comparison itself is <see cref="NameVersion"/>'s, the one the store uses too, so a
/// node's sessions and its store can never pick different winners.
/// </summary>
/// <param name="ChangedMs">Unix milliseconds from a hybrid clock (see <see cref="Next"/>).</param>
/// <param name="ChangedBy">DeviceId text of the renaming device, or empty.</param>
internal readonly record struct NameStamp(long ChangedMs, string ChangedBy) : IComparable<NameStamp>
{
    /// <summary>
    /// The stamp for a rename made now on <paramref name="device"/>. Never below
    /// <paramref name="current"/> + 1 ms: a rename made after seeing another must win over it even
    /// when this device's clock runs behind (a plain wall clock would let the older name come back).
    /// An empty <paramref name="device"/> stamps no device (empty text, as the store records it).
    /// </summary>
    public static NameStamp Next(NameStamp current, long nowMs, DeviceId device) =>
        new(Math.Max(nowMs, current.ChangedMs + 1), NameAuthors.Of(device));

    public int CompareTo(NameStamp other) =>
        NameVersion.CompareStamps(ChangedMs, ChangedBy, other.ChangedMs, other.ChangedBy);

    /// <summary>This stamp on <paramref name="name"/>: what last-writer-wins compares.</summary>
    public NameVersion Of(string name) => new(name, ChangedMs, ChangedBy ?? "");

    /// <summary>True when this stamp wins over <paramref name="other"/>.</summary>
    public bool IsNewerThan(NameStamp other) => CompareTo(other) > 0;
}
