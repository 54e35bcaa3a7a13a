namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>Why bytes are not a rendezvous message.</summary>
internal enum RendezvousFormatProblem
{
    /// <summary>Shorter than header plus signature, or a body length that disagrees with the total.</summary>
    Truncated,

    /// <summary>A version this code does not speak.</summary>
    UnknownVersion,

    /// <summary>A type byte outside <see cref="RendezvousMessageType"/>.</summary>
    UnknownType,

    /// <summary>A body above <see cref="RendezvousCodec.MaxBodyBytes"/>.</summary>
    BodyTooLong,

    /// <summary>A body that is not UTF-8.</summary>
    BadText,

    /// <summary>A field combination the protocol forbids (no target on an offer, a hello with a body, sender = target, empty space or session).</summary>
    BadField,

    /// <summary>The Ed25519 signature by the sender does not verify.</summary>
    BadSignature,
}
