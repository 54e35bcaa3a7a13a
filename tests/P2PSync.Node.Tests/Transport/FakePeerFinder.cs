using P2PSync.Node.Discovery;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Transport;

/// <summary>A peer finder the test drives by hand: Appear / Leave raise Seen / Gone as mDNS would.</summary>
internal sealed class FakePeerFinder : IPeerFinder
{
    private readonly Dictionary<DeviceId, PeerSighting> _nearby = [];

    public event Action<PeerSighting>? Seen;

    public event Action<DeviceId>? Gone;

    public IReadOnlyCollection<PeerSighting> Nearby
    {
        get
        {
            lock (_nearby)
            {
                return [.. _nearby.Values];
            }
        }
    }

    public void Appear(PeerSighting sighting)
    {
        lock (_nearby)
        {
            _nearby[sighting.Device] = sighting;
        }

        Seen?.Invoke(sighting);
    }

    public void Leave(DeviceId device)
    {
        lock (_nearby)
        {
            _nearby.Remove(device);
        }

        Gone?.Invoke(device);
    }
}
