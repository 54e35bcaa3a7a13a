namespace P2PSync.Node.Sync;

/// <summary>What <see cref="RecordSet.Add"/> did with a record.</summary>
internal enum RecordAddResult
{
    /// <summary>New: kept (counted into the vector at once, or as soon as the gap before it fills).</summary>
    Added,

    /// <summary>The set already holds these exact bytes at this (author, seq); nothing changed.</summary>
    Duplicate,

    /// <summary>
    /// The set holds a different record at this (author, seq): the author signed two histories
    /// (a restored device that reused its seqs, or a misbehaving one). The first one stays.
    /// </summary>
    Conflict,
}
