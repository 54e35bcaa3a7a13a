using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Storage;

/// <summary>An operation named a device that is not among this store's trusted peers.</summary>
internal sealed class PeerNotFoundException : StoreException
{
    /// <summary>Creates the exception for <paramref name="deviceId"/>.</summary>
    public PeerNotFoundException(DeviceId deviceId)
        : base($"device {deviceId} is not a trusted peer of this node (add it with: p2psync peer add {deviceId})")
    {
        DeviceId = deviceId;
    }

    /// <summary>The device that was asked for.</summary>
    public DeviceId DeviceId { get; }
}
