namespace P2PSync.Node.Security.Invites;

/// <summary>What the length-bearing fields of a possibly damaged invite payload say about its size.</summary>
internal enum InvitePayloadMeasure
{
    /// <summary>The fields fit: the payload is exactly the reported length.</summary>
    Complete,

    /// <summary>The bytes end before the fields do.</summary>
    Incomplete,

    /// <summary>A length field holds a value no encoder writes (more than 8 addresses, an empty address).</summary>
    Impossible,
}
