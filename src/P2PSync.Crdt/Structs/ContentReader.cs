using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Structs;

/// <summary>Reads item content by its wire ref (the low five bits of the item's info byte).</summary>
internal static class ContentReader
{
    public static IContent Read(IUpdateDecoder decoder, int contentRef) => contentRef switch
    {
        1 => ContentDeleted.Read(decoder),
        2 => ContentJson.Read(decoder),
        3 => ContentBinary.Read(decoder),
        4 => ContentString.Read(decoder),
        5 => ContentEmbed.Read(decoder),
        6 => ContentFormat.Read(decoder),
        7 => ContentType.Read(decoder),
        8 => ContentAny.Read(decoder),
        9 => ContentDoc.Read(decoder),
        // 0 is GC and 10 is Skip: structs, never item content.
        _ => throw new UpdateFormatException($"Unknown content ref {contentRef}."),
    };
}
