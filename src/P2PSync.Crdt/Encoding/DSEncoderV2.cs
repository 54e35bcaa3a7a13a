namespace P2PSync.Crdt.Encoding;

/// <summary>
/// Delete-set encoder for update format v2: clocks are written relative to the end of the
/// previous range of the same client, lengths minus one (a range is never empty).
/// </summary>
internal class DSEncoderV2 : IDSEncoder
{
    private long _dsCurrentValue;

    public Lib0Writer RestWriter { get; } = new();

    public void ResetDsCurVal() => _dsCurrentValue = 0;

    public void WriteDsClock(int clock)
    {
        var diff = clock - _dsCurrentValue;
        if (diff < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(clock), "Delete-set ranges must be sorted and disjoint.");
        }
        _dsCurrentValue = clock;
        RestWriter.WriteVarUint((ulong)diff);
    }

    public void WriteDsLen(int len)
    {
        if (len <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(len), "Delete-set ranges cannot be empty in update format v2.");
        }
        RestWriter.WriteVarUint((ulong)(len - 1));
        _dsCurrentValue += len;
    }

    public virtual byte[] ToArray() => RestWriter.ToArray();
}
