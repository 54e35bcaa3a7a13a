namespace P2PSync.Crdt.Encoding;

/// <summary>Delete-set decoder for update format v1.</summary>
internal class DSDecoderV1 : IDSDecoder
{
    public DSDecoderV1(Lib0Reader reader)
    {
        RestReader = reader;
    }

    public Lib0Reader RestReader { get; }

    public void ResetDsCurVal()
    {
        // v1 clocks are absolute.
    }

    public int ReadDsClock() => RestReader.ReadVarUintAsInt();

    public int ReadDsLen() => RestReader.ReadVarUintAsInt();
}
