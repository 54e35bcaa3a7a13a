using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Hosting;

/// <summary>
/// The open links per trusted device, for the parts that address peers by DeviceId (handoff,
/// awareness). Two links to one device can overlap briefly while the connection manager settles a
/// simultaneous dial; messages go on the newest. Thread-safe and never blocks on a socket.
/// </summary>
internal sealed class PeerLinkRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<DeviceId, List<PeerLink>> _links = [];

    public void Add(DeviceId device, PeerLink link)
    {
        lock (_gate)
        {
            if (!_links.TryGetValue(device, out var links))
            {
                links = [];
                _links[device] = links;
            }

            links.Add(link);
        }
    }

    /// <summary>Forgets a closed link; true when it was the device's last one (the device is gone).</summary>
    public bool Remove(DeviceId device, PeerLink link)
    {
        lock (_gate)
        {
            if (!_links.TryGetValue(device, out var links) || !links.Remove(link))
            {
                return false;
            }

            if (links.Count > 0)
            {
                return false;
            }

            _links.Remove(device);
            return true;
        }
    }

    /// <summary>Queues the envelope on the device's newest link; false when it has none.</summary>
    public bool Send(DeviceId device, Envelope envelope)
    {
        PeerLink link;
        lock (_gate)
        {
            if (!_links.TryGetValue(device, out var links) || links.Count == 0)
            {
                return false;
            }

            link = links[^1];
        }

        link.Enqueue(EnvelopeCodec.Encode(envelope), null, 0);
        return true;
    }
}
