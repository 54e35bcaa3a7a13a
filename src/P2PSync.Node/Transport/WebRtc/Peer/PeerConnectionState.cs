namespace P2PSync.Node.Transport.WebRtc.Peer;

/// <summary>The life of a <see cref="PeerConnection"/>, shaped like the browser's connectionState.</summary>
internal enum PeerConnectionState
{
    /// <summary>Created; no description yet.</summary>
    New,

    /// <summary>ICE checks, the DTLS handshake or the SCTP handshake are under way.</summary>
    Connecting,

    /// <summary>The SCTP association is up: data channels work.</summary>
    Connected,

    /// <summary>ICE lost the selected pair for a while; it may come back (consent not yet expired).</summary>
    Disconnected,

    /// <summary>A layer failed or did not finish within the connect timeout; see the exception of <see cref="PeerConnection.Connected"/>.</summary>
    Failed,

    /// <summary>Closed by either side, or disposed.</summary>
    Closed,
}
