namespace P2PSync.Crdt.Encoding;

/// <summary>
/// v2 column of bytes (struct info, parent info) as runs: the value, then the run length
/// minus one. The final run's length is never written; the decoder repeats the last value.
/// </summary>
internal sealed class RleEncoder
{
    private readonly Lib0Writer _writer = new();
    private byte _current;
    private long _count;

    public void Write(byte value)
    {
        if (_count > 0 && _current == value)
        {
            _count++;
            return;
        }
        if (_count > 0)
        {
            _writer.WriteVarUint((ulong)(_count - 1));
        }
        _count = 1;
        _writer.WriteUint8(value);
        _current = value;
    }

    public byte[] ToArray() => _writer.ToArray();
}
