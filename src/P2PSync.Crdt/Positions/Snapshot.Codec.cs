using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Positions;

// Wire format (identical to Yjs encodeSnapshot / encodeSnapshotV2): the delete set as in an
// update (v1 or v2 delete-set encoding), followed by the state vector (varuint count, then
// varuint client and varuint clock pairs in descending client order). Both v1 and v2 write
// everything to the plain rest stream, so for most snapshots the two encodings coincide.
public sealed partial class Snapshot
{
    internal static byte[] EncodeSnapshotV2(Snapshot snapshot, IDSEncoder encoder)
    {
        DeleteSet.WriteDeleteSet(encoder, snapshot.Ds);
        UpdateCodec.WriteStateVector(encoder, snapshot.Sv);
        return encoder.ToArray();
    }

    internal static byte[] EncodeSnapshotV2(Snapshot snapshot) => EncodeSnapshotV2(snapshot, new DSEncoderV2());

    internal static byte[] EncodeSnapshot(Snapshot snapshot) => EncodeSnapshotV2(snapshot, new DSEncoderV1());

    /// <summary>Reads a snapshot; throws <see cref="UpdateFormatException"/> on malformed input.</summary>
    internal static Snapshot DecodeSnapshotV2(IDSDecoder decoder)
    {
        var ds = DeleteSet.ReadDeleteSet(decoder);
        // A well-formed snapshot's ranges are sorted and disjoint already (this is then a no-op);
        // a crafted one may not be, and IsVisible's binary search relies on that order.
        DeleteSet.SortAndMergeDeleteSet(ds);
        var sv = UpdateCodec.ReadStateVector(decoder);
        return new Snapshot(ds, sv);
    }

    internal static Snapshot DecodeSnapshotV2(ReadOnlyMemory<byte> bytes) =>
        DecodeSnapshotV2(new DSDecoderV2(new Lib0Reader(bytes)));

    internal static Snapshot DecodeSnapshot(ReadOnlyMemory<byte> bytes) =>
        DecodeSnapshotV2(new DSDecoderV1(new Lib0Reader(bytes)));
}
