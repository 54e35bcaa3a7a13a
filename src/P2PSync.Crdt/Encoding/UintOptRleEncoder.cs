namespace P2PSync.Crdt.Encoding;

/// <summary>
/// v2 column of unsigned values (clients, type refs, lengths, string lengths). A single value
/// is written as a positive varint; a run is written with the sign bit set followed by the
/// run length minus two, which is why the sign of zero matters ("-0" starts a run of zeros).
/// </summary>
internal sealed class UintOptRleEncoder
{
    private readonly Lib0Writer _writer = new();
    private ulong _current;
    private long _count;

    public void Write(ulong value)
    {
        if (_current == value)
        {
            _count++;
            return;
        }
        Flush();
        _count = 1;
        _current = value;
    }

    /// <summary>Finish the pending run and return the column.</summary>
    public byte[] ToArray()
    {
        Flush();
        _count = 0; // finishing twice must not repeat the last run
        return _writer.ToArray();
    }

    private void Flush()
    {
        if (_count <= 0)
        {
            return;
        }
        _writer.WriteVarInt(_current, negative: _count > 1);
        if (_count > 1)
        {
            _writer.WriteVarUint((ulong)(_count - 2));
        }
    }
}
