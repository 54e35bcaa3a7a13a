using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Structs;

/// <summary>
/// Legacy JSON values (ref 2, Yjs ContentJSON): like <see cref="ContentAny"/> but each value is
/// written as JSON text, with the bare word "undefined" standing for JS undefined.
/// </summary>
internal sealed class ContentJson : ValueListContent
{
    private const string UndefinedText = "undefined";

    public ContentJson(List<object?> arr)
        : base(arr)
    {
    }

    public override int Ref => 2;

    public static ContentJson Read(IUpdateDecoder decoder) =>
        new(ReadValues(decoder, static d =>
        {
            var text = d.ReadString();
            return text == UndefinedText ? Undefined.Value : Lib0Any.ParseJson(text);
        }));

    protected override ValueListContent WithValues(List<object?> values) => new ContentJson(values);

    protected override void WriteValue(IUpdateEncoder encoder, object? value) =>
        encoder.WriteString(value is Undefined ? UndefinedText : Lib0Any.ToJsonString(value));
}
