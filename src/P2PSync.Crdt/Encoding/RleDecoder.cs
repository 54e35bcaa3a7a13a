namespace P2PSync.Crdt.Encoding;

/// <summary>Reads a <see cref="RleEncoder"/> column.</summary>
internal sealed class RleDecoder
{
    private readonly Lib0Reader _reader;
    private byte _current;
    private long _count;

    public RleDecoder(ReadOnlyMemory<byte> data)
    {
        _reader = new Lib0Reader(data);
    }

    public byte Read()
    {
        if (_count == 0)
        {
            _current = _reader.ReadUint8();
            // No run length after the last value: it repeats for as long as the reader asks.
            _count = _reader.HasContent ? (long)_reader.ReadVarUint() + 1 : -1;
        }
        _count--;
        return _current;
    }
}
