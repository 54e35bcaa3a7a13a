using Microsoft.Extensions.Logging;
using P2PSync.Node.Handoff;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Hosting;

/// <summary>
/// Runs the <see cref="AwarenessHub"/> over the node's peer links: AwarenessFrames from peers go
/// in, the frames it answers or raises go out on the right link, connects and disconnects are
/// reported per link (the hub counts them), this device's own state follows its activity
/// (<see cref="DevicePresencePublisher"/>), and the hub's expiry runs on its own timer.
/// </summary>
/// <remarks>
/// Nothing here blocks: the hub works under its own short lock and hands frames out after it;
/// sending only queues on a link's outbox.
/// </remarks>
internal sealed class NodeAwareness : IDisposable
{
    private readonly PeerLinkRegistry _links;
    private readonly ActivityStore _activity;
    private readonly DevicePresencePublisher _publisher;
    private readonly ILogger _logger;
    private readonly ITimer _expiry;

    public NodeAwareness(AwarenessHub hub, PeerLinkRegistry links, ActivityStore activity, DeviceId self, string deviceName, ILogger logger)
    {
        Hub = hub;
        _links = links;
        _activity = activity;
        _logger = logger;
        _publisher = new DevicePresencePublisher(hub, self, deviceName);
        hub.PeerFrames += Send;
        activity.Changed += _publisher.Publish;
        _publisher.Publish(activity.Current);
        _expiry = hub.StartTimer();
    }

    /// <summary>The node's awareness states; the local API's websocket rooms share it.</summary>
    public AwarenessHub Hub { get; }

    /// <summary>A link to the peer came up: it hears every live state it did not send us.</summary>
    public void OnConnected(DeviceId peer) => Send(Hub.OnPeerConnected(peer));

    /// <summary>A link to the peer closed; on its last one the peer's states are removed and everyone is told.</summary>
    public void OnDisconnected(DeviceId peer) => Send(Hub.OnPeerDisconnected(peer));

    /// <summary>An AwarenessFrame from a connected peer; what changed is relayed to the others.</summary>
    /// <exception cref="AwarenessFormatException">Malformed or over a limit: close the connection.</exception>
    public void Receive(DeviceId from, AwarenessFrame frame) => Send(Hub.OnPeerFrame(from, frame));

    public void Dispose()
    {
        _expiry.Dispose();
        _activity.Changed -= _publisher.Publish;
        Hub.PeerFrames -= Send;
    }

    private void Send(IReadOnlyList<(DeviceId To, AwarenessFrame Frame)> frames)
    {
        foreach (var (to, frame) in frames)
        {
            if (!_links.Send(to, new Envelope { Awareness = frame }))
            {
                _logger.LogDebug("awareness frame for {Device} dropped: not connected", to.ToShortString());
            }
        }
    }
}
