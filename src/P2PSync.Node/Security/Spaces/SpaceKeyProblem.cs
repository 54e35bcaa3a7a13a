namespace P2PSync.Node.Security.Spaces;

/// <summary>What went wrong with a space key, so callers and tests can tell the cases apart.</summary>
internal enum SpaceKeyProblem
{
    /// <summary>A wrapped key of the wrong length.</summary>
    Malformed,

    /// <summary>The wrapped key was not sealed to this device, or was altered.</summary>
    NotForThisDevice,

    /// <summary>The epoch inside the wrapped key is not the epoch it was announced with.</summary>
    WrongEpoch,

    /// <summary>A different key for an epoch the ring already holds.</summary>
    ConflictingEpoch,

    /// <summary>The recipient's device id is not a valid Ed25519 point, so nothing can be sealed to it.</summary>
    InvalidRecipient,
}
