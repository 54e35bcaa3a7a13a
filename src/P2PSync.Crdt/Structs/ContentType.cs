using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;
using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Structs;

/// <summary>A nested shared type (ref 7): the item that holds a YArray, YMap, YText or XML node.</summary>
internal sealed class ContentType : IContent
{
    public ContentType(AbstractType type)
    {
        Type = type;
    }

    public AbstractType Type { get; }

    public int Length => 1;

    public bool Countable => true;

    public int Ref => 7;

    public IReadOnlyList<object?> GetContent() => [Type];

    public IContent Copy() => new ContentType(Type.Copy());

    public IContent Splice(int offset) =>
        throw new InvalidOperationException("Type content has length 1 and cannot be split.");

    public bool MergeWith(IContent right) => false;

    public void Integrate(Transaction transaction, Item item) => Type.Integrate(transaction.Doc, item);

    /// <summary>Deleting a type deletes everything in it.</summary>
    public void Delete(Transaction transaction)
    {
        for (var item = Type.Start; item is not null; item = item.Right)
        {
            DeleteChild(transaction, item);
        }
        foreach (var item in Type.Map.Values)
        {
            DeleteChild(transaction, item);
        }
        transaction.RemoveChangedType(Type);
    }

    public void Gc(StructStore store)
    {
        for (var item = Type.Start; item is not null; item = item.Right)
        {
            item.Gc(store, parentGCd: true);
        }
        Type.Start = null;
        foreach (var last in Type.Map.Values)
        {
            // Map entries keep older values for the same key to the left of the current one.
            for (var item = last; item is not null; item = item.Left)
            {
                item.Gc(store, parentGCd: true);
            }
        }
        Type.Map = new Dictionary<string, Item>();
    }

    public void Write(IUpdateEncoder encoder, int offset) => Type.Write(encoder);

    public static ContentType Read(IUpdateDecoder decoder) => new(TypeRefs.Read(decoder));

    private static void DeleteChild(Transaction transaction, Item item)
    {
        if (!item.Deleted)
        {
            item.Delete(transaction);
        }
        else if (item.Id.Clock < transaction.GetBeforeClock(item.Id.Client))
        {
            // Deleted before this transaction, so cleanup would not look at it; ask it to try
            // merging the item with its neighbours once they are all deleted.
            transaction.MergeStructs.Add(item);
        }
    }
}
