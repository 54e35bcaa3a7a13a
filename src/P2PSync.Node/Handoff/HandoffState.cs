namespace P2PSync.Node.Handoff;

/// <summary>Where a handoff stands. The last five are final.</summary>
internal enum HandoffState
{
    /// <summary>An offer waits for accept or decline.</summary>
    Offered,

    /// <summary>A request was sent or received; the transfer has not started.</summary>
    Requested,

    /// <summary>Begin sent or received; chunks are on their way.</summary>
    Transferring,

    /// <summary>In: everything applied and the activity resumed here.</summary>
    Ready,

    /// <summary>Out: the peer resumed our activity.</summary>
    HandedOff,

    Declined,

    Expired,

    Failed,
}
