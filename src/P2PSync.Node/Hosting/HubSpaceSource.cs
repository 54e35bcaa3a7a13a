using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Sync;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Hosting;

/// <summary>The sync sessions' view of the node's spaces.</summary>
internal sealed class HubSpaceSource : ISpaceSource
{
    private readonly NodeSpaces _spaces;

    public HubSpaceSource(NodeSpaces spaces)
    {
        _spaces = spaces;
    }

    public IReadOnlyList<SpaceId> SharedWith(DeviceId peer) => _spaces.SharedWith(peer);

    public bool IsMember(SpaceId space, DeviceId device) => _spaces.IsMember(space, device);

    public SpaceState DescribeFor(SpaceId space, DeviceId peer) => _spaces.DescribeFor(space, peer);

    public SpaceStateOutcome ApplyState(SpaceState state, DeviceId from) => _spaces.ApplyState(state, from);
}
