using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Sync;

/// <summary>
/// What a <see cref="PeerSyncSession"/> needs of the node's spaces: who may see which space, and
/// the exchange of membership logs and wrapped keys. The node implements it over its
/// <see cref="SpaceDirectory"/> with persistence; simulation tests over a bare directory.
/// </summary>
internal interface ISpaceSource
{
    /// <summary>
    /// The spaces this node holds (and is a member of) in which <paramref name="peer"/> is a
    /// current member, any role: the spaces the peer may see. Stable order.
    /// </summary>
    IReadOnlyList<SpaceId> SharedWith(DeviceId peer);

    /// <summary>True when <paramref name="device"/> is a current member (any role) of a space this node holds; false for an unknown space.</summary>
    bool IsMember(SpaceId space, DeviceId device);

    /// <summary>The space's log and every key epoch wrapped to <paramref name="peer"/> (no keys when it is not a current member).</summary>
    SpaceState DescribeFor(SpaceId space, DeviceId peer);

    /// <summary>
    /// Applies a peer's view of a space (durably): the entries we lack, the keys we lack; adopts a
    /// space we did not know only if we are a member afterwards. Never throws for peer input.
    /// </summary>
    SpaceStateOutcome ApplyState(SpaceState state, DeviceId from);
}
