namespace P2PSync.Node.Handoff;

/// <summary>Who started the handoff.</summary>
internal enum HandoffKind
{
    /// <summary>Push: the owner of the activity offered it.</summary>
    Offer,

    /// <summary>Pull: the device that continues asked for it.</summary>
    Pull,
}
