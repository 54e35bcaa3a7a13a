using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Structs;

/// <summary>One binary blob (ref 3); occupies a single clock tick and never splits or merges.</summary>
internal sealed class ContentBinary : IContent
{
    public ContentBinary(byte[] content)
    {
        Content = content;
    }

    public byte[] Content { get; }

    public int Length => 1;

    public bool Countable => true;

    public int Ref => 3;

    public IReadOnlyList<object?> GetContent() => [Content];

    public IContent Copy() => new ContentBinary(Content);

    public IContent Splice(int offset) =>
        throw new InvalidOperationException("Binary content has length 1 and cannot be split.");

    public bool MergeWith(IContent right) => false;

    public void Integrate(Transaction transaction, Item item)
    {
    }

    public void Delete(Transaction transaction)
    {
    }

    public void Gc(StructStore store)
    {
    }

    public void Write(IUpdateEncoder encoder, int offset) => encoder.WriteBuf(Content);

    public static ContentBinary Read(IUpdateDecoder decoder) => new(decoder.ReadBuf());
}
