namespace P2PSync.Crdt.Encoding;

/// <summary>
/// v2 column of clocks: stores the difference to the previous value, doubled, with the low bit
/// saying whether a run length (minus two) follows. Consecutive clocks (diff 1) compress to
/// almost nothing.
/// </summary>
internal sealed class IntDiffOptRleEncoder
{
    private readonly Lib0Writer _writer = new();
    private long _current;
    private long _count;
    private long _diff;

    public void Write(long value)
    {
        // Starts from current = 0, diff = 0 like lib0, so a leading 0 joins the initial "run".
        if (_diff == value - _current)
        {
            _current = value;
            _count++;
            return;
        }
        Flush();
        _count = 1;
        _diff = value - _current;
        _current = value;
    }

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
        _writer.WriteVarInt(_diff * 2 + (_count == 1 ? 0 : 1));
        if (_count > 1)
        {
            _writer.WriteVarUint((ulong)(_count - 2));
        }
    }
}
