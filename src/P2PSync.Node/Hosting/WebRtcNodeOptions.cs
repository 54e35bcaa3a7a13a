using System.Net;

namespace P2PSync.Node.Hosting;

/// <summary>
/// How the node reaches members over WebRTC through its relay's signalling (docs/protocol/webrtc-rendezvous.md).
/// Used only when the node has a relay.
/// </summary>
internal sealed record WebRtcNodeOptions
{
    /// <summary>Addresses ICE gathers host candidates on; null = every non-loopback interface (loopback when there is none). Tests pass 127.0.0.1.</summary>
    public IReadOnlyList<IPAddress>? BindAddresses { get; init; }

    /// <summary>A STUN server for a server-reflexive candidate (null = none).</summary>
    public IPEndPoint? StunServer { get; init; }

    /// <summary>How often this node says hello on the topics of spaces with a member it is not connected to.</summary>
    public TimeSpan HelloInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest time from offer to an authenticated connection; a session that takes longer is dropped (and a bye sent).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
