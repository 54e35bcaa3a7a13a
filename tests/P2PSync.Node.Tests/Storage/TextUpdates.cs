using P2PSync.Crdt;
using P2PSync.Crdt.Core;

namespace P2PSync.Node.Tests.Storage;

/// <summary>Real Yjs v1 updates made by editing a Doc's root text "text", collected as they happen.</summary>
internal sealed class TextUpdates
{
    private readonly List<byte[]> updates = [];

    public TextUpdates(ulong clientId)
    {
        Doc = new Doc(new DocOptions { ClientId = clientId });
        Doc.Update += (_, e) => updates.Add(e.Update);
    }

    public Doc Doc { get; }

    public IReadOnlyList<byte[]> All => updates;

    /// <summary>Appends <paramref name="text"/> at the end and returns the one update it produced.</summary>
    public byte[] Append(string text)
    {
        var yText = Doc.GetText("text");
        yText.Insert(yText.Length, text);
        return updates[^1];
    }

    /// <summary>Deletes <paramref name="count"/> characters at <paramref name="index"/> and returns the update.</summary>
    public byte[] Delete(int index, int count)
    {
        Doc.GetText("text").Delete(index, count);
        return updates[^1];
    }

    public string Text => Doc.GetText("text").ToString();

    public static string TextOf(Doc doc) => doc.GetText("text").ToString();

    public byte[] State => Y.EncodeStateAsUpdate(Doc);
}
