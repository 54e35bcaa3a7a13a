using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The source of a change that arrived in a handoff transfer from <paramref name="Device"/>.
/// Unlike <see cref="PeerOrigin"/> (which the sync coordinator relays itself) nobody else passes
/// it on, so the sync layer relays it to every connected peer except the device it came from
/// (which has it already): a partial mesh still converges on what a handoff brought.
/// </summary>
internal sealed record HandoffOrigin(DeviceId Device) : IUpdateSource
{
    public string OriginLabel => "handoff:" + Device;
}
