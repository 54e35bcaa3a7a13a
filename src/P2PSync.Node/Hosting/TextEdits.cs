using P2PSync.Crdt.Core;
using P2PSync.Crdt.Types;

namespace P2PSync.Node.Hosting;

/// <summary>The text operations the CLI and API offer on a document's root <c>Y.Text</c>.</summary>
internal static class TextEdits
{
    /// <exception cref="RootTypeException">The root exists with another type.</exception>
    public static void Append(Doc doc, string root, string text)
    {
        var target = TextRoot(doc, root);
        target.Insert(target.Length, text);
    }

    /// <exception cref="RootTypeException">The root exists with another type.</exception>
    public static string Read(Doc doc, string root) => TextRoot(doc, root).ToString();

    private static YText TextRoot(Doc doc, string root)
    {
        try
        {
            return doc.GetText(root);
        }
        catch (InvalidOperationException ex)
        {
            throw new RootTypeException(root, ex);
        }
    }
}
