namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>The agent's overall state, shaped like the browser's iceConnectionState.</summary>
internal enum IceConnectionState
{
    New,

    /// <summary>Checks are running; no pair works yet.</summary>
    Checking,

    /// <summary>At least one pair works; none is nominated yet.</summary>
    Connected,

    /// <summary>A nominated pair is selected.</summary>
    Completed,

    /// <summary>The selected pair has gone quiet for a while; consent may still come back.</summary>
    Disconnected,

    /// <summary>Every pair failed after both sides finished gathering, or consent expired.</summary>
    Failed,
}
