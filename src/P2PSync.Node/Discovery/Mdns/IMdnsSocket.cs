namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// The UDP side of mDNS as <see cref="MdnsDiscovery"/> needs it. <see cref="MdnsSockets"/> is the
/// real one; tests put an in-memory LAN here so no unit test ever sends multicast on the host.
/// </summary>
internal interface IMdnsSocket : IAsyncDisposable
{
    /// <summary>
    /// The next datagram. Throws <see cref="OperationCanceledException"/> when cancelled and
    /// <see cref="System.Threading.Channels.ChannelClosedException"/> once the socket is disposed.
    /// </summary>
    ValueTask<MdnsDatagram> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sends one datagram to the group of the destination's family on its interface, or to its
    /// unicast endpoint. Failures to send (interface gone, no route) are reported as
    /// <see cref="System.Net.Sockets.SocketException"/>; the caller logs them and carries on.
    /// </summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> payload, MdnsDestination destination, CancellationToken cancellationToken);

    /// <summary>Joins the multicast groups on these interfaces and leaves them on interfaces no longer listed.</summary>
    void SetInterfaces(IReadOnlyList<MdnsInterface> interfaces);
}
