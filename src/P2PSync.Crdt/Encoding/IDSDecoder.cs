namespace P2PSync.Crdt.Encoding;

/// <summary>Delete-set half of an update decoder (Yjs DSDecoderV1/V2).</summary>
internal interface IDSDecoder
{
    /// <summary>The plain lib0 reader positioned after the struct/ds columns (v2) or shared (v1).</summary>
    Lib0Reader RestReader { get; }
    void ResetDsCurVal();
    int ReadDsClock();
    int ReadDsLen();
}
