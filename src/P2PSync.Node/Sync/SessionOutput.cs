using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Sync;

/// <summary>What handling one incoming envelope produced.</summary>
/// <param name="Replies">Envelopes to send back on the same connection, in order.</param>
/// <param name="AppliedRecords">Records the envelope added to local documents, to relay to other peers.</param>
/// <param name="ChangedDocuments">Documents created or renamed by the envelope, to announce to other peers.</param>
/// <param name="ChangedSpaces">Spaces whose log or keys the envelope changed (or adopted), to tell other peers about.</param>
/// <param name="Refusals">
/// Human-readable lines for the log: records refused, announcements of documents in spaces the
/// peer does not share with us, space states that were refused. None of them ends the connection.
/// </param>
internal sealed record SessionOutput(
    IReadOnlyList<Envelope> Replies,
    IReadOnlyList<AppliedRecords> AppliedRecords,
    IReadOnlyList<SyncDocument> ChangedDocuments,
    IReadOnlyList<SpaceId> ChangedSpaces,
    IReadOnlyList<string> Refusals);
