namespace P2PSync.Crdt.Encoding;

/// <summary>
/// v2 string column: all strings concatenated into one var string, followed by their UTF-16
/// lengths as a <see cref="UintOptRleEncoder"/> column. UTF-16 (not UTF-8) lengths because that
/// is what JS string slicing counts.
/// </summary>
internal sealed class StringEncoder
{
    private readonly List<string> _parts = [];
    private readonly UintOptRleEncoder _lengths = new();
    private int _totalLength;

    public void Write(string value)
    {
        _parts.Add(value);
        _totalLength += value.Length;
        _lengths.Write((ulong)value.Length);
    }

    public byte[] ToArray()
    {
        var writer = new Lib0Writer(_totalLength + 16);
        // Concatenate first: a surrogate pair split across two strings must be encoded as one
        // code point, exactly as lib0 does when it UTF-8-encodes the joined string.
        writer.WriteVarString(string.Concat(_parts));
        writer.WriteUint8Array(_lengths.ToArray());
        return writer.ToArray();
    }
}
