namespace P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

/// <summary>
/// A chunk type we do not implement (I-DATA, AUTH, ASCONF...). Kept with its bytes so the
/// association can apply the rule in the top two bits of the type (RFC 9260 §3.2) and, when asked,
/// report it back in an ERROR "unrecognized chunk type" cause.
/// </summary>
internal sealed class UnknownChunk : SctpChunk
{
    public UnknownChunk(byte typeCode, byte flags, byte[] value)
    {
        TypeCode = typeCode;
        Flags = flags;
        Value = value;
    }

    public override byte TypeCode { get; }

    public override byte Flags { get; }

    public byte[] Value { get; }

    public override int ValueLength => Value.Length;

    /// <summary>Top bit clear: stop processing the rest of the packet.</summary>
    public bool StopsPacket => (TypeCode & 0x80) == 0;

    /// <summary>Second bit set: tell the peer with an ERROR chunk.</summary>
    public bool Report => (TypeCode & 0x40) != 0;

    protected override void WriteValue(Span<byte> value) => Value.CopyTo(value);
}
