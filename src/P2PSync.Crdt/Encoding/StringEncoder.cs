using System.Buffers;

namespace P2PSync.Crdt.Encoding;

/// <summary>
/// v2 string column: all strings concatenated into one var string, followed by their UTF-16
/// lengths as a <see cref="UintOptRleEncoder"/> column. UTF-16 (not UTF-8) lengths because that
/// is what JS string slicing counts.
/// </summary>
internal sealed class StringEncoder
{
    // The strings are appended as they come instead of being kept as a list and joined at the
    // end: one buffer, no per-string allocation, and spans can be written without a string.
    private readonly ArrayBufferWriter<char> _text = new();
    private readonly UintOptRleEncoder _lengths = new();

    public void Write(ReadOnlySpan<char> value)
    {
        _text.Write(value);
        _lengths.Write((ulong)value.Length);
    }

    public byte[] ToArray()
    {
        var writer = new Lib0Writer(_text.WrittenCount + 16);
        // Encoded as one string: a surrogate pair split across two strings must become one code
        // point, exactly as lib0 does when it UTF-8-encodes the joined string.
        writer.WriteVarString(_text.WrittenSpan);
        writer.WriteUint8Array(_lengths.ToArray());
        return writer.ToArray();
    }
}
