using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Structs;

/// <summary>A rich-text embed (ref 5): one JSON-like value occupying a single clock tick.</summary>
internal sealed class ContentEmbed : IContent
{
    public ContentEmbed(object? embed)
    {
        Embed = embed;
    }

    public object? Embed { get; }

    public int Length => 1;

    public bool Countable => true;

    public int Ref => 5;

    public IReadOnlyList<object?> GetContent() => [Embed];

    public IContent Copy() => new ContentEmbed(Embed);

    public IContent Splice(int offset) =>
        throw new InvalidOperationException("Embed content has length 1 and cannot be split.");

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

    public void Write(IUpdateEncoder encoder, int offset) => encoder.WriteJson(Embed);

    public static ContentEmbed Read(IUpdateDecoder decoder) => new(decoder.ReadJson());
}
