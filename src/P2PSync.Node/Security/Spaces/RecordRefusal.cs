namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// Why a well-formed signed record from a peer is not accepted. A refusal is logged and the record
/// is neither stored nor applied; it is not a protocol violation (a relay may simply not have
/// heard of a removal yet), so the connection stays.
/// </summary>
internal enum RecordRefusal
{
    /// <summary>The signature does not verify against the author key and the record bytes.</summary>
    BadSignature,

    /// <summary>The record names another document than the one it arrived for.</summary>
    WrongDocument,

    /// <summary>The record names another space than the document's.</summary>
    WrongSpace,

    /// <summary>We hold no membership log for the document's space.</summary>
    UnknownSpace,

    /// <summary>The author is not (or no longer) a member of the space.</summary>
    NotAMember,

    /// <summary>The author is a viewer: it may read the space but not write to it.</summary>
    ReadOnly,
}
