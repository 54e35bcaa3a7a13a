using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Structs;

/// <summary>A run of lib0 "any" values (ref 8), one clock tick per value; see <see cref="Lib0Any"/>.</summary>
internal sealed class ContentAny : ValueListContent
{
    public ContentAny(List<object?> arr)
        : base(arr)
    {
    }

    public override int Ref => 8;

    public static ContentAny Read(IUpdateDecoder decoder) =>
        new(ReadValues(decoder, static d => d.ReadAny()));

    protected override ValueListContent WithValues(List<object?> values) => new ContentAny(values);

    protected override void WriteValue(IUpdateEncoder encoder, object? value) => encoder.WriteAny(value);
}
