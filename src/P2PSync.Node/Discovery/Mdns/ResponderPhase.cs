namespace P2PSync.Node.Discovery.Mdns;

/// <summary>Where the responder stands on one interface (RFC 6762 §8).</summary>
internal enum ResponderPhase
{
    /// <summary>Known, but the responder has not been started.</summary>
    Idle,

    /// <summary>Waiting for the random start delay (or a tie-break / conflict back-off) before the first probe.</summary>
    WaitingToProbe,

    /// <summary>Sending the three probes; nothing is answered yet.</summary>
    Probing,

    /// <summary>The names are ours; sending the unsolicited announcements, and answering.</summary>
    Announcing,

    /// <summary>Announced; answering queries only.</summary>
    Established,
}
