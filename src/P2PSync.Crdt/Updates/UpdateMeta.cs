namespace P2PSync.Crdt.Updates;

/// <summary>
/// The clock range an update covers per client (yjs parseUpdateMeta): <see cref="From"/> is the
/// first clock of the client's first struct, <see cref="To"/> the clock after its last struct.
/// </summary>
public sealed class UpdateMeta
{
    internal UpdateMeta(Dictionary<ulong, int> from, Dictionary<ulong, int> to)
    {
        From = from;
        To = to;
    }

    /// <summary>Client id to the first clock the update has for it.</summary>
    public IReadOnlyDictionary<ulong, int> From { get; }

    /// <summary>Client id to the clock just after the last struct the update has for it.</summary>
    public IReadOnlyDictionary<ulong, int> To { get; }
}
