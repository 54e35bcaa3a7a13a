using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Hosting;

/// <summary>What the node knows about one document besides its content.</summary>
/// <param name="Id">Stable id, shared by every replica.</param>
/// <param name="Name">Human name; may change by rename.</param>
/// <param name="CreatedMs">Creation time, Unix milliseconds, from the creating node's clock.</param>
/// <param name="NameChangedMs">When the name was last set, Unix ms (renames resolve last-writer-wins).</param>
/// <param name="NameChangedBy">DeviceId text of the device that set the name (breaks same-ms ties); empty when unknown.</param>
/// <param name="Space">The space the document belongs to (fixed at creation); empty only for stores older than schema 4 until the node assigns its personal space.</param>
internal sealed record DocumentRecord(string Id, string Name, long CreatedMs, long NameChangedMs, string NameChangedBy, SpaceId Space = default);
