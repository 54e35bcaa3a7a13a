namespace P2PSync.Node.Transport.WebRtc.Signalling;

/// <summary>Where a <see cref="SignallingClient"/>'s connection to the relay's /signal stands.</summary>
internal enum SignallingState
{
    /// <summary>Not started yet.</summary>
    New,

    /// <summary>Opening a WebSocket (first time or after a drop).</summary>
    Connecting,

    /// <summary>Open and subscribed to every topic asked for so far.</summary>
    Connected,

    /// <summary>The connection dropped; a reconnect is scheduled after a backoff.</summary>
    Disconnected,

    /// <summary>Disposed: no more reconnects, <see cref="SignallingClient.ReadAllAsync"/> ends.</summary>
    Closed,
}
