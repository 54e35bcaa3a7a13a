using Google.Protobuf;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Hosting;

/// <summary>
/// A document's record as other devices hear of it (<see cref="DocAnnounce"/>) and back: one
/// mapping for every path that carries it outside a sync session (handoff, the relay's mailbox).
/// </summary>
internal static class DocumentAnnouncements
{
    public static DocAnnounce ToAnnounce(DocumentRecord record) => new()
    {
        DocId = record.Id,
        Name = record.Name,
        CreatedMs = record.CreatedMs,
        NameChangedMs = record.NameChangedMs,
        NameChangedBy = record.NameChangedBy,
        SpaceId = ByteString.CopyFrom(record.Space.Bytes),
    };

    /// <summary>The record an announcement describes; its space when it names one (16 bytes), else <paramref name="space"/>.</summary>
    public static DocumentRecord ToRecord(DocAnnounce announce, SpaceId space = default) => new(
        announce.DocId,
        announce.Name,
        announce.CreatedMs,
        announce.NameChangedMs,
        announce.NameChangedBy,
        announce.SpaceId.Length == SpaceId.Length ? SpaceId.FromBytes(announce.SpaceId.Span) : space);
}
