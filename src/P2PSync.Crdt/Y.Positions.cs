using P2PSync.Crdt.Core;
using P2PSync.Crdt.Positions;
using P2PSync.Crdt.Types;

namespace P2PSync.Crdt;

// Snapshots and relative positions (Yjs utils/Snapshot.js and utils/RelativePosition.js).
public static partial class Y
{
    /// <summary>The current state of <paramref name="doc"/>: its state vector and everything deleted so far.</summary>
    public static Positions.Snapshot Snapshot(Doc doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        return Positions.Snapshot.FromDoc(doc);
    }

    /// <summary>A snapshot of nothing (no clients, no deletions).</summary>
    public static Positions.Snapshot EmptySnapshot() => Positions.Snapshot.EmptySnapshot();

    /// <summary>Whether two snapshots describe the same state.</summary>
    public static bool EqualSnapshots(Positions.Snapshot snap1, Positions.Snapshot snap2)
    {
        ArgumentNullException.ThrowIfNull(snap1);
        ArgumentNullException.ThrowIfNull(snap2);
        return Positions.Snapshot.EqualSnapshots(snap1, snap2);
    }

    /// <summary>Encodes a snapshot with the v1 delete-set encoding (byte-identical to Yjs <c>encodeSnapshot</c>).</summary>
    public static byte[] EncodeSnapshot(Positions.Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Positions.Snapshot.EncodeSnapshot(snapshot);
    }

    /// <summary>Encodes a snapshot with the v2 delete-set encoding (byte-identical to Yjs <c>encodeSnapshotV2</c>).</summary>
    public static byte[] EncodeSnapshotV2(Positions.Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Positions.Snapshot.EncodeSnapshotV2(snapshot);
    }

    /// <summary>Decodes a snapshot written by <see cref="EncodeSnapshot"/>.</summary>
    /// <exception cref="UpdateFormatException">The bytes are not a valid v1 snapshot.</exception>
    public static Positions.Snapshot DecodeSnapshot(ReadOnlyMemory<byte> bytes) =>
        PositionDecoding.Guard(bytes, Positions.Snapshot.DecodeSnapshot, "snapshot");

    /// <summary>Decodes a snapshot written by <see cref="EncodeSnapshotV2"/>.</summary>
    /// <exception cref="UpdateFormatException">The bytes are not a valid v2 snapshot.</exception>
    public static Positions.Snapshot DecodeSnapshotV2(ReadOnlyMemory<byte> bytes) =>
        PositionDecoding.Guard(bytes, Positions.Snapshot.DecodeSnapshotV2, "snapshot");

    /// <summary>
    /// A new document holding the content <paramref name="originDoc"/> had at <paramref name="snapshot"/>.
    /// The origin doc must keep its history (<see cref="DocOptions.Gc"/> false), otherwise the
    /// content deleted since may be gone.
    /// </summary>
    /// <param name="originDoc">The document the snapshot was taken of.</param>
    /// <param name="snapshot">The state to restore.</param>
    /// <param name="newDoc">The document that receives the content; a new one (default options) if null.</param>
    /// <exception cref="InvalidOperationException">Garbage collection is enabled on <paramref name="originDoc"/>.</exception>
    /// <exception cref="ArgumentException">The snapshot includes content <paramref name="originDoc"/> does not have.</exception>
    public static Doc CreateDocFromSnapshot(Doc originDoc, Positions.Snapshot snapshot, Doc? newDoc = null)
    {
        ArgumentNullException.ThrowIfNull(originDoc);
        ArgumentNullException.ThrowIfNull(snapshot);
        return Positions.Snapshot.CreateDocFromSnapshot(originDoc, snapshot, newDoc ?? new Doc());
    }

    /// <summary>Whether everything in the v1 <paramref name="update"/> (structs and deletions) is part of <paramref name="snapshot"/>.</summary>
    /// <exception cref="UpdateFormatException">The update is malformed.</exception>
    public static bool SnapshotContainsUpdate(Positions.Snapshot snapshot, ReadOnlyMemory<byte> update)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return PositionDecoding.Guard(update, u => Positions.Snapshot.SnapshotContainsUpdate(snapshot, u), "update");
    }

    /// <summary>Whether everything in the v2 <paramref name="update"/> (structs and deletions) is part of <paramref name="snapshot"/>.</summary>
    /// <exception cref="UpdateFormatException">The update is malformed.</exception>
    public static bool SnapshotContainsUpdateV2(Positions.Snapshot snapshot, ReadOnlyMemory<byte> update)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return PositionDecoding.Guard(update, u => Positions.Snapshot.SnapshotContainsUpdateV2(snapshot, u), "update");
    }

    /// <summary>
    /// A position at <paramref name="index"/> in <paramref name="type"/> that follows the content
    /// as peers edit. With <paramref name="assoc"/> &gt;= 0 it sticks to the unit after the index,
    /// with <paramref name="assoc"/> &lt; 0 to the unit before it.
    /// </summary>
    public static RelativePosition CreateRelativePositionFromTypeIndex(AbstractType type, int index, int assoc = 0) =>
        RelativePosition.CreateRelativePositionFromTypeIndex(type, index, assoc);

    /// <summary>
    /// Resolves <paramref name="rpos"/> to the index it denotes in <paramref name="doc"/> now, or null if
    /// the doc does not have (or no longer has) what the position is anchored at.
    /// </summary>
    /// <param name="rpos">The position to resolve.</param>
    /// <param name="doc">The document to resolve it in.</param>
    /// <param name="followUndoneDeletions">
    /// Follow content an undo manager re-created from the anchor. Only this peer knows those
    /// links, so pass false when every peer must get the same answer.
    /// </param>
    public static AbsolutePosition? CreateAbsolutePositionFromRelativePosition(RelativePosition rpos, Doc doc, bool followUndoneDeletions = true) =>
        RelativePosition.CreateAbsolutePositionFromRelativePosition(rpos, doc, followUndoneDeletions);

    /// <summary>Encodes a relative position (byte-identical to Yjs <c>encodeRelativePosition</c>).</summary>
    public static byte[] EncodeRelativePosition(RelativePosition rpos)
    {
        ArgumentNullException.ThrowIfNull(rpos);
        return RelativePosition.EncodeRelativePosition(rpos);
    }

    /// <summary>Decodes a relative position written by <see cref="EncodeRelativePosition"/> or by Yjs.</summary>
    /// <exception cref="UpdateFormatException">The bytes are not a valid relative position.</exception>
    public static RelativePosition DecodeRelativePosition(ReadOnlyMemory<byte> bytes) =>
        PositionDecoding.Guard(bytes, RelativePosition.DecodeRelativePosition, "relative position");

    /// <summary>
    /// The position as a JSON-like object in the lib0 "any" representation, shaped like Yjs
    /// <c>relativePositionToJSON</c>; <see cref="Encoding.Lib0Any.ToJsonString"/> prints it as Yjs does.
    /// </summary>
    public static Dictionary<string, object?> RelativePositionToJson(RelativePosition rpos)
    {
        ArgumentNullException.ThrowIfNull(rpos);
        return RelativePosition.RelativePositionToJson(rpos);
    }

    /// <summary>Reads a position from the object <see cref="RelativePositionToJson"/> (or Yjs) produces.</summary>
    /// <exception cref="UpdateFormatException">The object does not describe a relative position.</exception>
    public static RelativePosition CreateRelativePositionFromJson(IReadOnlyDictionary<string, object?> json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return RelativePosition.CreateRelativePositionFromJson(json);
    }

    /// <summary>Whether two positions are equal in every field (two nulls are equal).</summary>
    public static bool CompareRelativePositions(RelativePosition? a, RelativePosition? b) =>
        RelativePosition.CompareRelativePositions(a, b);
}
