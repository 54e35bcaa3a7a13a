using System.Buffers.Binary;

namespace P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

/// <summary>
/// HEARTBEAT (type 4) and HEARTBEAT ACK (type 5), RFC 9260 §3.3.5/§3.3.6: one Heartbeat Info
/// parameter (type 1) whose content only the sender understands; the ACK echoes it unchanged.
/// <code>
///  0          2          4
///  | type = 1 | length   | sender-specific info ...
/// </code>
/// </summary>
internal sealed class HeartbeatChunk : SctpChunk
{
    private const ushort HeartbeatInfoType = 1;

    public HeartbeatChunk(bool isAck, byte[] info)
    {
        IsAck = isAck;
        Info = info;
    }

    public bool IsAck { get; }

    public byte[] Info { get; }

    public override byte TypeCode => (byte)(IsAck ? SctpChunkType.HeartbeatAck : SctpChunkType.Heartbeat);

    public override int ValueLength => 4 + Info.Length;

    public static HeartbeatChunk Read(bool isAck, ReadOnlySpan<byte> value)
    {
        SctpFormat.Require(value, 4, "HEARTBEAT info");
        var type = BinaryPrimitives.ReadUInt16BigEndian(value);
        var length = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        if (type != HeartbeatInfoType)
        {
            throw SctpFormat.Error(WebRtcFormatProblem.Missing, $"HEARTBEAT without Heartbeat Info (parameter {type})");
        }

        if (length < 4 || length > value.Length)
        {
            throw SctpFormat.Error(WebRtcFormatProblem.LengthMismatch, $"Heartbeat Info length {length} in {value.Length} bytes");
        }

        return new HeartbeatChunk(isAck, value[4..length].ToArray());
    }

    protected override void WriteValue(Span<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(value, HeartbeatInfoType);
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], checked((ushort)(4 + Info.Length)));
        Info.CopyTo(value[4..]);
    }
}
