using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Structs;

/// <summary>
/// A formatting mark in rich text (ref 6): sets attribute <see cref="Key"/> to
/// <see cref="Value"/> (null ends it) for the text that follows. Not countable.
/// </summary>
internal sealed class ContentFormat : IContent
{
    public ContentFormat(string key, object? value)
    {
        Key = key;
        Value = value;
    }

    public string Key { get; }

    public object? Value { get; }

    public int Length => 1;

    public bool Countable => false;

    public int Ref => 6;

    public IReadOnlyList<object?> GetContent() => [];

    public IContent Copy() => new ContentFormat(Key, Value);

    public IContent Splice(int offset) =>
        throw new InvalidOperationException("Format content has length 1 and cannot be split.");

    public bool MergeWith(IContent right) => false;

    public void Integrate(Transaction transaction, Item item)
    {
        // Search markers do not account for formatting items, so a formatted type drops them.
        if (item.Parent is { } parent)
        {
            parent.SearchMarker = null;
            parent.HasFormatting = true;
        }
    }

    public void Delete(Transaction transaction)
    {
    }

    public void Gc(StructStore store)
    {
    }

    public void Write(IUpdateEncoder encoder, int offset)
    {
        encoder.WriteKey(Key);
        encoder.WriteJson(Value);
    }

    public static ContentFormat Read(IUpdateDecoder decoder) => new(decoder.ReadKey(), decoder.ReadJson());
}
