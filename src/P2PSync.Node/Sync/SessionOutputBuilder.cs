using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Sync;

/// <summary>The lists a <see cref="PeerSyncSession"/> fills while handling one envelope.</summary>
internal sealed class SessionOutputBuilder
{
    public List<Envelope> Replies { get; } = [];

    public List<AppliedRecords> Applied { get; } = [];

    public List<SyncDocument> Changed { get; } = [];

    public List<SpaceId> ChangedSpaces { get; } = [];

    public List<string> Refusals { get; } = [];

    public SessionOutput Build() => new(Replies, Applied, Changed, ChangedSpaces, Refusals);
}
