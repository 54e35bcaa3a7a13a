using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Types;

/// <summary>
/// Wire numbers of the shared types inside a ContentType (Yjs <c>typeRefs</c>), and the
/// reader that turns such a number back into an empty, not yet integrated type.
/// </summary>
internal static class TypeRefs
{
    public const int YArray = 0;
    public const int YMap = 1;
    public const int YText = 2;
    public const int YXmlElement = 3;
    public const int YXmlFragment = 4;
    public const int YXmlHook = 5;
    public const int YXmlText = 6;

    /// <summary>
    /// Reads a type ref (and, for elements and hooks, their name) and creates the matching type.
    /// An unknown ref means the update is malformed.
    /// </summary>
    internal static AbstractType Read(IUpdateDecoder decoder)
    {
        int typeRef = decoder.ReadTypeRef();
        return typeRef switch
        {
            YArray => new Types.YArray(),
            YMap => new Types.YMap(),
            YText => new Types.YText(),
            YXmlElement => new Types.YXmlElement(decoder.ReadKey()),
            YXmlFragment => new Types.YXmlFragment(),
            YXmlHook => new Types.YXmlHook(decoder.ReadKey()),
            YXmlText => new Types.YXmlText(),
            _ => throw new UpdateFormatException($"Unknown type ref {typeRef}."),
        };
    }
}
