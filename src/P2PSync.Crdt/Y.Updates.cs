using P2PSync.Crdt.Updates;

namespace P2PSync.Crdt;

public static partial class Y
{
    /// <summary>
    /// Merges v1 updates into one v1 update without a document, byte-identical to yjs
    /// <c>mergeUpdates</c>. A single update is returned unchanged (as a copy).
    /// </summary>
    /// <exception cref="UpdateFormatException">An update is malformed.</exception>
    public static byte[] MergeUpdates(IReadOnlyList<byte[]> updates) => UpdateUtils.MergeUpdates(updates);

    /// <summary>Merges v2 updates into one v2 update; see <see cref="MergeUpdates"/>.</summary>
    /// <exception cref="UpdateFormatException">An update is malformed.</exception>
    public static byte[] MergeUpdatesV2(IReadOnlyList<byte[]> updates) => UpdateUtils.MergeUpdatesV2(updates);

    /// <summary>
    /// The part of a v1 update that a peer with the given (v1-encoded) state vector is missing,
    /// as a v1 update. The delete set is always kept whole.
    /// </summary>
    /// <exception cref="UpdateFormatException">The update or state vector is malformed.</exception>
    public static byte[] DiffUpdate(ReadOnlyMemory<byte> update, ReadOnlyMemory<byte> stateVector) =>
        UpdateUtils.DiffUpdate(update, stateVector);

    /// <summary>Like <see cref="DiffUpdate"/> for a v2 update (the state vector is the same format).</summary>
    /// <exception cref="UpdateFormatException">The update or state vector is malformed.</exception>
    public static byte[] DiffUpdateV2(ReadOnlyMemory<byte> update, ReadOnlyMemory<byte> stateVector) =>
        UpdateUtils.DiffUpdateV2(update, stateVector);

    /// <summary>The state vector (v1 encoding) a document would have after applying only this v1 update.</summary>
    /// <exception cref="UpdateFormatException">The update is malformed.</exception>
    public static byte[] EncodeStateVectorFromUpdate(ReadOnlyMemory<byte> update) =>
        UpdateUtils.EncodeStateVectorFromUpdate(update);

    /// <summary>Like <see cref="EncodeStateVectorFromUpdate"/> for a v2 update.</summary>
    /// <exception cref="UpdateFormatException">The update is malformed.</exception>
    public static byte[] EncodeStateVectorFromUpdateV2(ReadOnlyMemory<byte> update) =>
        UpdateUtils.EncodeStateVectorFromUpdateV2(update);

    /// <summary>The clock range per client that a v1 update covers.</summary>
    /// <exception cref="UpdateFormatException">The update is malformed.</exception>
    public static UpdateMeta ParseUpdateMeta(ReadOnlyMemory<byte> update) => UpdateUtils.ParseUpdateMeta(update);

    /// <summary>The clock range per client that a v2 update covers.</summary>
    /// <exception cref="UpdateFormatException">The update is malformed.</exception>
    public static UpdateMeta ParseUpdateMetaV2(ReadOnlyMemory<byte> update) => UpdateUtils.ParseUpdateMetaV2(update);

    /// <summary>Re-encodes a v1 update as v2 (same content, yjs byte layout).</summary>
    /// <exception cref="UpdateFormatException">The update is malformed.</exception>
    public static byte[] ConvertUpdateFormatV1ToV2(ReadOnlyMemory<byte> update) =>
        UpdateUtils.ConvertUpdateFormatV1ToV2(update);

    /// <summary>Re-encodes a v2 update as v1 (same content, yjs byte layout).</summary>
    /// <exception cref="UpdateFormatException">The update is malformed.</exception>
    public static byte[] ConvertUpdateFormatV2ToV1(ReadOnlyMemory<byte> update) =>
        UpdateUtils.ConvertUpdateFormatV2ToV1(update);
}
