using P2PSync.Crdt.Core;

namespace P2PSync.Crdt;

/// <summary>
/// The Yjs-style functional API: applying and encoding updates and state vectors. The byte
/// formats are those of Yjs 13.6 (update v1/v2, state vector v1), byte for byte.
/// </summary>
public static partial class Y
{
    /// <summary>
    /// Applies a v1 update. Structs whose dependencies are missing are kept and applied once they arrive.
    /// </summary>
    /// <exception cref="UpdateFormatException">The update is malformed; <paramref name="doc"/> is unchanged.</exception>
    public static void ApplyUpdate(Doc doc, ReadOnlyMemory<byte> update, object? origin = null)
    {
        ArgumentNullException.ThrowIfNull(doc);
        UpdateCodec.ApplyUpdate(doc, update, origin, v2: false);
    }

    /// <summary>Applies a v2 update; see <see cref="ApplyUpdate"/>.</summary>
    /// <exception cref="UpdateFormatException">The update is malformed; <paramref name="doc"/> is unchanged.</exception>
    public static void ApplyUpdateV2(Doc doc, ReadOnlyMemory<byte> update, object? origin = null)
    {
        ArgumentNullException.ThrowIfNull(doc);
        UpdateCodec.ApplyUpdate(doc, update, origin, v2: true);
    }

    /// <summary>
    /// The document as a v1 update. With <paramref name="targetStateVector"/> (an encoded state
    /// vector) only what that peer is missing is included; empty means everything.
    /// </summary>
    /// <exception cref="UpdateFormatException">The state vector is malformed.</exception>
    public static byte[] EncodeStateAsUpdate(Doc doc, ReadOnlyMemory<byte> targetStateVector = default)
    {
        ArgumentNullException.ThrowIfNull(doc);
        return UpdateCodec.EncodeStateAsUpdate(doc, targetStateVector, v2: false);
    }

    /// <summary>The document as a v2 update; see <see cref="EncodeStateAsUpdate"/>.</summary>
    /// <exception cref="UpdateFormatException">The state vector is malformed.</exception>
    public static byte[] EncodeStateAsUpdateV2(Doc doc, ReadOnlyMemory<byte> targetStateVector = default)
    {
        ArgumentNullException.ThrowIfNull(doc);
        return UpdateCodec.EncodeStateAsUpdate(doc, targetStateVector, v2: true);
    }

    /// <summary>The encoded state vector of <paramref name="doc"/>: for each client the next expected clock.</summary>
    public static byte[] EncodeStateVector(Doc doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        return UpdateCodec.EncodeStateVector(doc);
    }

    /// <summary>Encodes a state vector given as client to next expected clock.</summary>
    public static byte[] EncodeStateVector(IReadOnlyDictionary<ulong, int> stateVector)
    {
        ArgumentNullException.ThrowIfNull(stateVector);
        return UpdateCodec.EncodeStateVector(stateVector);
    }

    /// <summary>Decodes an encoded state vector.</summary>
    /// <exception cref="UpdateFormatException">The bytes are not a state vector.</exception>
    public static Dictionary<ulong, int> DecodeStateVector(ReadOnlyMemory<byte> stateVector) =>
        UpdateCodec.DecodeStateVector(stateVector);
}
