namespace P2PSync.Crdt.Encoding;

/// <summary>Delete-set half of an update encoder (Yjs DSEncoderV1/V2).</summary>
internal interface IDSEncoder
{
    /// <summary>The plain lib0 writer that trailing data (e.g. state vectors) is written to.</summary>
    Lib0Writer RestWriter { get; }
    void ResetDsCurVal();
    void WriteDsClock(int clock);
    void WriteDsLen(int len);
    /// <summary>The finished bytes (v2 concatenates its column streams first).</summary>
    byte[] ToArray();
}
