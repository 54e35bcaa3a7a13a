namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>Why <see cref="RendezvousInbox"/> did not take a message (None = taken).</summary>
internal enum RendezvousRefusal
{
    None,

    /// <summary>Not base64, or no sealed envelope of this space that a key held here opens.</summary>
    NotSealed,

    /// <summary>An envelope of another kind than a rendezvous message.</summary>
    WrongKind,

    /// <summary>Opened, but not a well-formed, well-signed rendezvous message.</summary>
    Malformed,

    /// <summary>Signed for another space than the topic's.</summary>
    WrongSpace,

    /// <summary>Sealed or signed under another key epoch than the space's current one (an old key after a rotation).</summary>
    WrongEpoch,

    /// <summary>This device's own message, echoed by the relay: ignored quietly.</summary>
    Own,

    /// <summary>The signer is not a current member of the space (never was, or removed).</summary>
    NotAMember,

    /// <summary>Addressed to another device: ignored quietly.</summary>
    NotForUs,

    /// <summary>Its timestamp is more than the allowed skew away from our clock.</summary>
    Stale,

    /// <summary>Seen before (same signature).</summary>
    Replayed,
}
