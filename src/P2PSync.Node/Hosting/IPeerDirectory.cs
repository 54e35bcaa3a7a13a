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

    /// <summary>Every device to dial: the trusted ones and the members of shared spaces.</summary>
    IReadOnlyList<PeerRecord> ListAll() => List();

    /// <summary>Records where to dial a member of a shared space (never makes it trusted; keeps a trusted one trusted).</summary>
    PeerRecord AddMember(string deviceId, IReadOnlyList<string> addresses) =>
        throw new NotSupportedException("this peer directory keeps no space members");

    /// <summary>Records that a connection with the device is up now.</summary>
    void MarkSeen(string deviceId);
}
