namespace P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

/// <summary>
/// The chunks with no value at all: SHUTDOWN ACK, COOKIE ACK, and SHUTDOWN COMPLETE (whose only
/// content is the T flag). One class, because they differ only in their type code.
/// </summary>
internal sealed class SimpleChunk : SctpChunk
{
    /// <summary>Flag bit 0 on SHUTDOWN COMPLETE (and ABORT): the packet carries the peer's tag, not ours.</summary>
    public const byte TagReflectedFlag = 0x01;

    private readonly byte _flags;

    public SimpleChunk(SctpChunkType type, bool tagReflected = false)
    {
        Type = type;
        _flags = tagReflected ? TagReflectedFlag : (byte)0;
    }

    public SctpChunkType Type { get; }

    public bool TagReflected => (_flags & TagReflectedFlag) != 0;

    public override byte TypeCode => (byte)Type;

    public override byte Flags => _flags;

    public override int ValueLength => 0;

    protected override void WriteValue(Span<byte> value)
    {
    }
}
