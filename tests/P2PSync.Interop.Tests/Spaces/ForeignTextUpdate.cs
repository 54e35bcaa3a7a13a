using P2PSync.Crdt;
using P2PSync.Crdt.Core;

namespace P2PSync.Interop.Tests.Spaces;

/// <summary>
/// A Yjs v1 update made outside any node: <paramref name="text"/> inserted into the root text
/// "text" of an empty document by a fixed client id. It applies to any copy of the document (an
/// insert with no neighbours lands at the start), so a node that accepted it would show the text.
/// </summary>
internal static class ForeignTextUpdate
{
    public static byte[] Insert(string text, ulong clientId)
    {
        var doc = new Doc(new DocOptions { ClientId = clientId });
        doc.GetText("text").Insert(0, text);
        return Y.EncodeStateAsUpdate(doc);
    }
}
