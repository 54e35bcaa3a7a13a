using System.Net;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>Where <see cref="IceTransport"/> opens sockets and whom it asks for its public address.</summary>
internal sealed record IceTransportOptions
{
    /// <summary>Addresses to bind, one socket each; null means every usable interface address (<see cref="HostAddresses"/>).</summary>
    public IReadOnlyList<IPAddress>? BindAddresses { get; init; }

    /// <summary>A STUN server for server-reflexive candidates; null gathers host candidates only.</summary>
    public IPEndPoint? StunServer { get; init; }

    /// <summary>UDP payload budget handed to DTLS (notes §9: 1232 keeps IPv6 paths unfragmented).</summary>
    public int MaxDatagramSize { get; init; } = 1232;

    /// <summary>Sends of one server-reflexive request before giving up on that socket's srflx candidate.</summary>
    public int StunServerAttempts { get; init; } = 3;

    public int StunServerRetryMs { get; init; } = 500;

    /// <summary>Application datagrams buffered for a slow reader; when full, the socket is not read until it drains (the kernel buffer holds the rest).</summary>
    public int ReceiveQueueLength { get; init; } = 512;

    public IceAgentOptions Agent { get; init; } = new();
}
