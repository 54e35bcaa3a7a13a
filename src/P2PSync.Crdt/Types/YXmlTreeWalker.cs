using System.Collections;
using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Types;

/// <summary>
/// Depth-first walk over the nodes below an XML fragment or element, yielding those that
/// pass a filter (Yjs YXmlTreeWalker). Descends into elements and fragments only.
/// </summary>
public sealed class YXmlTreeWalker : IEnumerable<AbstractType>
{
    private readonly YXmlFragment root;
    private readonly Func<AbstractType, bool> filter;

    internal YXmlTreeWalker(YXmlFragment root, Func<AbstractType, bool>? filter)
    {
        this.root = root;
        this.filter = filter ?? (_ => true);
    }

    public IEnumerator<AbstractType> GetEnumerator()
    {
        Item? n = root.Start;
        bool firstCall = true;
        while (true)
        {
            if (n is not null && (!firstCall || n.Deleted || !Accepts(n)))
            {
                do
                {
                    var type = TypeOf(n);
                    if (!n.Deleted && type is not null && (type.GetType() == typeof(YXmlElement) || type.GetType() == typeof(YXmlFragment)) && type.Start is not null)
                    {
                        n = type.Start;
                    }
                    else
                    {
                        // Right, or up until a level has a next sibling.
                        while (n is not null)
                        {
                            var nxt = n.Next;
                            if (nxt is not null)
                            {
                                n = nxt;
                                break;
                            }
                            n = n.Parent == root ? null : n.Parent!.Item;
                        }
                    }
                }
                while (n is not null && (n.Deleted || !Accepts(n)));
            }
            firstCall = false;
            if (n is null)
            {
                yield break;
            }
            yield return TypeOf(n)!;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static AbstractType? TypeOf(Item n) => n.Content is ContentType c ? c.Type : null;

    /// <summary>Only shared types can be yielded; other content (which Yjs would choke on) is skipped.</summary>
    private bool Accepts(Item n) => TypeOf(n) is { } type && filter(type);
}
