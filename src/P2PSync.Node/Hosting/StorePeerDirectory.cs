using P2PSync.Node.Storage;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Hosting;

/// <summary>The trusted-device list over the SQLite <see cref="PeerRepository"/>.</summary>
internal sealed class StorePeerDirectory : IPeerDirectory
{
    private readonly PeerRepository _peers;

    public StorePeerDirectory(PeerRepository peers)
    {
        _peers = peers;
    }

    public IReadOnlyList<PeerRecord> List() => _peers.List().Select(ToRecord).ToList();

    public PeerRecord Add(string deviceId, IReadOnlyList<string> addresses)
    {
        var id = DeviceId.Parse(deviceId);
        try
        {
            // Adding again with new addresses replaces them; without addresses keeps the old ones.
            return ToRecord(_peers.Add(id, null, addresses));
        }
        catch (InvalidStoreInputException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    public bool Remove(string deviceId) => _peers.Remove(DeviceId.Parse(deviceId));

    public IReadOnlyList<PeerRecord> ListAll() => _peers.ListAll().Select(ToRecord).ToList();

    public PeerRecord AddMember(string deviceId, IReadOnlyList<string> addresses)
    {
        try
        {
            return ToRecord(_peers.AddMemberPeer(DeviceId.Parse(deviceId), addresses));
        }
        catch (InvalidStoreInputException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    public void MarkSeen(string deviceId) => _peers.MarkSeen(DeviceId.Parse(deviceId));

    private static PeerRecord ToRecord(PeerInfo info) => new(info.DeviceId.ToString(), info.Name, info.Addresses, info.LastSeenMs, info.Trusted);
}
