using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Storage;

/// <summary>What this node knows about one peer's copy of one document.</summary>
/// <param name="DeviceId">The peer.</param>
/// <param name="DocumentId">The document.</param>
/// <param name="RemoteStateVector">The state vector (Yjs v1 encoding) the peer last told us, or null if it never did.</param>
/// <param name="SentUptoSeq">The highest local log seq known to have been sent to the peer (0 = none).</param>
/// <param name="UpdatedMs">When this row last changed, Unix milliseconds.</param>
internal sealed record PeerSyncState(
    DeviceId DeviceId,
    string DocumentId,
    byte[]? RemoteStateVector,
    long SentUptoSeq,
    long UpdatedMs);
