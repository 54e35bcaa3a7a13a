namespace P2PSync.Crdt.Encoding;

/// <summary>Delete-set decoder for update format v2 (clocks relative to the previous range's end).</summary>
internal class DSDecoderV2 : IDSDecoder
{
    private long _dsCurrentValue;

    public DSDecoderV2(Lib0Reader reader)
    {
        RestReader = reader;
    }

    public Lib0Reader RestReader { get; }

    public void ResetDsCurVal() => _dsCurrentValue = 0;

    public int ReadDsClock()
    {
        _dsCurrentValue += (long)RestReader.ReadVarUint();
        return CheckClock(_dsCurrentValue);
    }

    public int ReadDsLen()
    {
        var len = (long)RestReader.ReadVarUint() + 1;
        _dsCurrentValue += len;
        // The range end must be a valid clock too, or a later diff could wrap around.
        CheckClock(_dsCurrentValue);
        return (int)len;
    }

    private static int CheckClock(long value)
    {
        if (value > int.MaxValue)
        {
            throw new UpdateFormatException($"Delete-set clock {value} exceeds int.MaxValue.");
        }
        return (int)value;
    }
}
