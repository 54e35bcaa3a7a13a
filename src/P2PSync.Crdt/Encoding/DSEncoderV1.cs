namespace P2PSync.Crdt.Encoding;

/// <summary>Delete-set encoder for update format v1: plain varuints into one stream.</summary>
internal class DSEncoderV1 : IDSEncoder
{
    public Lib0Writer RestWriter { get; } = new();

    public void ResetDsCurVal()
    {
        // v1 writes absolute clocks, so there is no running value to reset.
    }

    public void WriteDsClock(int clock) => RestWriter.WriteVarUint((ulong)clock);

    public void WriteDsLen(int len) => RestWriter.WriteVarUint((ulong)len);

    public virtual byte[] ToArray() => RestWriter.ToArray();
}
