namespace P2PSync.Node.Security.Spaces;

/// <summary>Why an envelope could not be opened.</summary>
internal enum SealedEnvelopeProblem
{
    /// <summary>Not a version 1 envelope: too short, too long, unknown version or kind.</summary>
    Malformed,

    /// <summary>Sealed for another space than the one expected.</summary>
    WrongSpace,

    /// <summary>Sealed under a key epoch we do not hold (not yet received, or we were removed before it).</summary>
    UnknownEpoch,

    /// <summary>The ciphertext or header does not authenticate under the epoch's key: altered, or not sealed by a member.</summary>
    Forged,

    /// <summary>
    /// An envelope sealed to one device (<see cref="DeviceSealedEnvelope"/>) that does not open with
    /// this device's key: sealed to another member, or altered (crypto_box_seal cannot tell which).
    /// </summary>
    NotForThisDevice,
}
