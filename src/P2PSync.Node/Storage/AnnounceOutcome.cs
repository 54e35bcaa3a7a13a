namespace P2PSync.Node.Storage;

/// <summary>What <see cref="DocumentRepository.AcceptAnnounced"/> did with a peer's document announcement.</summary>
internal enum AnnounceOutcome
{
    /// <summary>The document was new here and has been created with the peer's id.</summary>
    Created,

    /// <summary>The peer's name was newer (last writer wins) and replaced ours.</summary>
    Renamed,

    /// <summary>We already had the document with the same or a newer name.</summary>
    Unchanged,
}
