namespace P2PSync.Node.Handoff;

/// <summary>Which way the activity moves, seen from this device.</summary>
internal enum HandoffDirection
{
    /// <summary>Another device's activity comes to us.</summary>
    In,

    /// <summary>Our activity goes to another device.</summary>
    Out,
}
