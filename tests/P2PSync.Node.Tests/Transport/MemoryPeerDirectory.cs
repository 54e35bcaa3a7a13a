using P2PSync.Node.Hosting;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Transport;

/// <summary>An in-memory trusted-device list for connection-manager tests.</summary>
internal sealed class MemoryPeerDirectory : IPeerDirectory
{
    private readonly List<PeerRecord> _peers = [];

    public IReadOnlyList<PeerRecord> List() => [.. _peers];

    public PeerRecord Add(string deviceId, IReadOnlyList<string> addresses)
    {
        var id = DeviceId.Parse(deviceId).ToString();
        _peers.RemoveAll(p => p.DeviceId == id);
        var record = new PeerRecord(id, null, addresses, null);
        _peers.Add(record);
        return record;
    }

    public bool Remove(string deviceId) => _peers.RemoveAll(p => p.DeviceId == DeviceId.Parse(deviceId).ToString()) > 0;

    public void MarkSeen(string deviceId)
    {
    }
}
