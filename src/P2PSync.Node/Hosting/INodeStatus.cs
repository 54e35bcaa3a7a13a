namespace P2PSync.Node.Hosting;

/// <summary>Live facts about the running node that the local API reports.</summary>
internal interface INodeStatus
{
    /// <summary>This device's DeviceId, text form.</summary>
    string DeviceId { get; }

    /// <summary>The TCP port peers dial, or null when the node does not listen.</summary>
    int? ListenPort { get; }

    /// <summary>How the latest connection to the peer caught up (null: not yet, or never connected).</summary>
    PeerCatchUp? CatchUpOf(string deviceId);

    /// <summary>DeviceIds with a connection up right now.</summary>
    IReadOnlyCollection<string> ConnectedDevices();

    /// <summary>Per document, how each peer stands: "in sync" or "behind by N" (N = items it lacks), by DeviceId.</summary>
    IReadOnlyDictionary<string, string> SyncStateOf(string docId);

    /// <summary>How changes reach the device now: "lan" (a direct connection), "webrtc" (a connection over a WebRTC data channel), "relay" (a member we reach only through the relay's mailbox), or null (not at all).</summary>
    string? PathOf(string deviceId) => null;

    /// <summary>The latest measured round trip to the device over its direct connection, or null.</summary>
    TimeSpan? RoundTripOf(string deviceId) => null;
}
