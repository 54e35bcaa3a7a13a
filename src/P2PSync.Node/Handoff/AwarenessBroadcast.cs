using P2PSync.Protocol.YProtocols;

namespace P2PSync.Node.Handoff;

/// <summary>
/// The entries one hub call decided to tell others about, grouped by document and by the origin
/// that must not get them back (null = everyone, e.g. this device reasserting its own state).
/// Turned into frames only after the hub's lock is released.
/// </summary>
internal sealed class AwarenessBroadcast
{
    private readonly List<(string DocId, AwarenessOrigin? Except, List<AwarenessEntry> Entries)> _groups = [];

    public bool IsEmpty => _groups.Count == 0;

    public IReadOnlyList<(string DocId, AwarenessOrigin? Except, List<AwarenessEntry> Entries)> Groups => _groups;

    public void Add(string docId, AwarenessOrigin? except, AwarenessEntry entry)
    {
        foreach (var group in _groups)
        {
            if (group.DocId == docId && Nullable.Equals(group.Except, except))
            {
                group.Entries.Add(entry);
                return;
            }
        }

        _groups.Add((docId, except, [entry]));
    }
}
