using System.Net;
using P2PSync.Node.Transport.WebRtc.Ice;
using P2PSync.Node.Transport.WebRtc.Sctp;

namespace P2PSync.Node.Transport.WebRtc.Peer;

/// <summary>What a <see cref="PeerConnection"/> binds, announces and waits for.</summary>
internal sealed record PeerConnectionOptions
{
    /// <summary>Addresses to open ICE sockets on; null = every usable interface (loopback only when there is nothing else).</summary>
    public IReadOnlyList<IPAddress>? BindAddresses { get; init; }

    /// <summary>A STUN server for server-reflexive candidates; null gathers host candidates only.</summary>
    public IPEndPoint? StunServer { get; init; }

    /// <summary>The a=max-message-size we announce: the largest message we accept. 262144 matches Chromium.</summary>
    public int MaxMessageSize { get; init; } = 262144;

    /// <summary>How long ICE + DTLS + SCTP may take from the first description until the association is up.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>SendAsync waits while more than this many bytes are queued and unacknowledged.</summary>
    public int SendHighWaterMark { get; init; } = 1024 * 1024;

    /// <summary>How long DisposeAsync waits for the SCTP SHUTDOWN handshake before closing DTLS anyway.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>ICE agent tunables (tests shorten timers); null = defaults.</summary>
    public IceAgentOptions? Ice { get; init; }

    /// <summary>
    /// SCTP tunables; null = defaults. Ports, the peer's max-message-size and the send buffer are
    /// always set from the negotiation and <see cref="SendHighWaterMark"/>, whatever this says.
    /// </summary>
    public SctpOptions? Sctp { get; init; }

    /// <exception cref="ArgumentException">A value that cannot work.</exception>
    public void Validate()
    {
        if (MaxMessageSize < 1)
        {
            throw new ArgumentException("MaxMessageSize must be at least 1 byte", nameof(MaxMessageSize));
        }

        if (ConnectTimeout <= TimeSpan.Zero || ShutdownTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException("ConnectTimeout must be positive and ShutdownTimeout not negative");
        }

        if (SendHighWaterMark < 1)
        {
            throw new ArgumentException("SendHighWaterMark must be at least 1 byte", nameof(SendHighWaterMark));
        }
    }
}
