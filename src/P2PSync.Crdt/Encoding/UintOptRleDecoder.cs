namespace P2PSync.Crdt.Encoding;

/// <summary>Reads a <see cref="UintOptRleEncoder"/> column.</summary>
internal sealed class UintOptRleDecoder
{
    private readonly Lib0Reader _reader;
    private ulong _current;
    private ulong _count;

    public UintOptRleDecoder(ReadOnlyMemory<byte> data)
    {
        _reader = new Lib0Reader(data);
    }

    /// <summary>The decoder for a column that has its own reader (the v2 string column).</summary>
    public UintOptRleDecoder(Lib0Reader reader)
    {
        _reader = reader;
    }

    public ulong Read()
    {
        if (_count == 0)
        {
            _current = _reader.ReadVarInt(out var isRun);
            _count = isRun ? _reader.ReadVarUint() + 2 : 1;
        }
        _count--;
        return _current;
    }
}
