using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Updates;

namespace P2PSync.Crdt.Positions;

// Whether an update is already part of a snapshot (Yjs snapshotContainsUpdate).
public sealed partial class Snapshot
{
    internal static bool SnapshotContainsUpdate(Snapshot snapshot, ReadOnlyMemory<byte> update) =>
        SnapshotContainsUpdate(snapshot, new UpdateDecoderV1(update));

    internal static bool SnapshotContainsUpdateV2(Snapshot snapshot, ReadOnlyMemory<byte> update) =>
        SnapshotContainsUpdate(snapshot, new UpdateDecoderV2(update));

    /// <summary>
    /// True if every struct of the update lies below the snapshot's state vector and every range
    /// the update deletes is deleted in the snapshot. Like Yjs, this streams the structs and
    /// answers false at the first one the snapshot lacks, so damage after that point goes
    /// unnoticed; a true answer always means the whole update was read and was well-formed.
    /// </summary>
    private static bool SnapshotContainsUpdate(Snapshot snapshot, IUpdateDecoder decoder)
    {
        var reader = new LazyStructReader(decoder, filterSkips: false);
        for (var s = reader.Curr; s is not null; s = reader.Next())
        {
            snapshot.Sv.TryGetValue(s.Id.Client, out var known);
            if (known < s.Id.Clock + s.Length)
            {
                return false;
            }
        }
        var merged = DeleteSet.MergeDeleteSets([snapshot.Ds, DeleteSet.ReadDeleteSet(decoder)]);
        return DeleteSet.EqualDeleteSets(snapshot.Ds, merged);
    }
}
