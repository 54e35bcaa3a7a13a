using System.Buffers.Binary;

namespace P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

/// <summary>SHUTDOWN (type 7, RFC 9260 §3.3.8): the sender's cumulative TSN ack (4 bytes).</summary>
internal sealed class ShutdownChunk : SctpChunk
{
    public ShutdownChunk(uint cumulativeTsnAck) => CumulativeTsnAck = cumulativeTsnAck;

    public uint CumulativeTsnAck { get; }

    public override byte TypeCode => (byte)SctpChunkType.Shutdown;

    public override int ValueLength => 4;

    public static ShutdownChunk Read(ReadOnlySpan<byte> value)
    {
        if (value.Length != 4)
        {
            throw SctpFormat.Error(WebRtcFormatProblem.LengthMismatch, $"SHUTDOWN value is {value.Length} bytes, not 4");
        }

        return new ShutdownChunk(BinaryPrimitives.ReadUInt32BigEndian(value));
    }

    protected override void WriteValue(Span<byte> value) => BinaryPrimitives.WriteUInt32BigEndian(value, CumulativeTsnAck);
}
