namespace P2PSync.Crdt.Encoding;

/// <summary>Reads an <see cref="IntDiffOptRleEncoder"/> column.</summary>
internal sealed class IntDiffOptRleDecoder
{
    // Values are clocks; keeping the running sum inside +-2^53 keeps it meaningful and overflow-free.
    private const long Limit = 1L << 53;

    private readonly Lib0Reader _reader;
    private long _current;
    private ulong _count;
    private long _diff;

    public IntDiffOptRleDecoder(ReadOnlyMemory<byte> data)
    {
        _reader = new Lib0Reader(data);
    }

    public long Read()
    {
        if (_count == 0)
        {
            var encoded = _reader.ReadVarInt();
            // Arithmetic shift is floor division by two, like lib0's Math.floor(diff / 2).
            _diff = encoded >> 1;
            _count = (encoded & 1) != 0 ? _reader.ReadVarUint() + 2 : 1;
        }
        _current += _diff;
        if (_current is > Limit or < -Limit)
        {
            throw new UpdateFormatException("Delta-encoded value out of range.");
        }
        _count--;
        return _current;
    }
}
