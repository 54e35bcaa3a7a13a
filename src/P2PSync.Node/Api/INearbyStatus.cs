using P2PSync.Node.Discovery;

namespace P2PSync.Node.Api;

/// <summary>What GET /api/nearby reports: the devices the node's peer finder sees now (empty when discovery is off).</summary>
internal interface INearbyStatus
{
    IReadOnlyCollection<PeerSighting> Nearby { get; }
}
