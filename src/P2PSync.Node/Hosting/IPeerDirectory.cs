namespace P2PSync.Node.Hosting;

/// <summary>
/// The trusted devices. Only these may finish a handshake with this node; the connection manager
/// dials their addresses. Backed by the store's peer repository; calls are not thread-safe and
/// the caller serializes them.
/// </summary>
internal interface IPeerDirectory
{
    IReadOnlyList<PeerRecord> List();

    /// <summary>Adds a device or replaces its addresses. Throws <see cref="FormatException"/> for a bad DeviceId.</summary>
    PeerRecord Add(string deviceId, IReadOnlyList<string> addresses);

    /// <summary>Removes a device; false if it was not trusted.</summary>
    bool Remove(string deviceId);

    /// <summary>Records that a connection with the device is up now.</summary>
    void MarkSeen(string deviceId);
}
