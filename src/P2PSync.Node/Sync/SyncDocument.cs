namespace P2PSync.Node.Sync;

/// <summary>A document as the sync protocol sees it: identity and name, not content.</summary>
/// <param name="Id">Stable id shared by every replica.</param>
/// <param name="Name">Human name, resolved last-writer-wins by <paramref name="NameStamp"/>.</param>
/// <param name="CreatedMs">Creation time, Unix ms, from the creating device's clock.</param>
/// <param name="NameStamp">When and by whom the name was set.</param>
internal sealed record SyncDocument(string Id, string Name, long CreatedMs, NameStamp NameStamp);
