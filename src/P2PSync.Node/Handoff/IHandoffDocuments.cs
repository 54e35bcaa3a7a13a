using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Handoff;

/// <summary>
/// The documents as the <see cref="HandoffEngine"/> sees them: over DocumentHub in the node,
/// over plain in-memory Docs in simulation tests.
/// </summary>
internal interface IHandoffDocuments
{
    /// <summary>The document's state vector, or null when this device does not have it.</summary>
    byte[]? StateVector(string docId);

    /// <summary>The v1 update holding what a peer with <paramref name="stateVector"/> lacks (all of it for an empty vector).</summary>
    byte[] EncodeDiff(string docId, ReadOnlyMemory<byte> stateVector);

    /// <summary>The document's record as announced to peers, or null when this device does not have it.</summary>
    DocAnnounce? Record(string docId);

    /// <summary>Creates a document this device did not have (empty, with the peer's id, name and times).</summary>
    void Adopt(DocAnnounce record, DeviceId from);

    /// <summary>Applies a v1 update as one atomic change: validated fully, then applied and logged as one update.</summary>
    void Apply(string docId, byte[] update, DeviceId from);

    /// <summary>Resolves a relative position in the root text <c>text</c> to an index now, or null.</summary>
    int? ResolveIndex(string docId, byte[] relativePosition);
}
