using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Sync;

/// <summary>A document as the sync protocol sees it: identity, name and space, not content.</summary>
/// <param name="Id">Stable id shared by every replica.</param>
/// <param name="Name">Human name, resolved last-writer-wins by <paramref name="NameStamp"/>.</param>
/// <param name="CreatedMs">Creation time, Unix ms, from the creating device's clock.</param>
/// <param name="NameStamp">When and by whom the name was set.</param>
/// <param name="Space">The space the document belongs to, fixed at creation: it decides who sees and who may write it.</param>
internal sealed record SyncDocument(string Id, string Name, long CreatedMs, NameStamp NameStamp, SpaceId Space);
