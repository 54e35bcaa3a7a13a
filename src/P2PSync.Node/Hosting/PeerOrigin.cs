using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The source of a change that a peer sent. The sync layer relays such changes itself, so the
/// hub's subscribers use this marker to avoid sending them a second time.
/// </summary>
internal sealed record PeerOrigin(DeviceId Device) : IUpdateSource
{
    public string OriginLabel => "peer:" + Device;
}
