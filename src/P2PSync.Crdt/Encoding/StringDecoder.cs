namespace P2PSync.Crdt.Encoding;

/// <summary>Reads a <see cref="StringEncoder"/> column, checking each length against what is left.</summary>
internal sealed class StringDecoder
{
    private readonly UintOptRleDecoder _lengths;
    private readonly string _text;
    private int _position;

    public StringDecoder(ReadOnlyMemory<byte> data)
    {
        var reader = new Lib0Reader(data);
        _text = reader.ReadVarString();
        _lengths = new UintOptRleDecoder(reader);
    }

    public string Read()
    {
        var length = _lengths.Read();
        if (length > (ulong)(_text.Length - _position))
        {
            throw new UpdateFormatException($"String length {length} exceeds the {_text.Length - _position} characters left in the string column.");
        }
        var result = _text.Substring(_position, (int)length);
        _position += (int)length;
        return result;
    }
}
