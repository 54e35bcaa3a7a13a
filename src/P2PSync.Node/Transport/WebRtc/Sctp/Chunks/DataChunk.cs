using System.Buffers.Binary;

namespace P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

/// <summary>
/// DATA (type 0, RFC 9260 §3.3.1). Flags: I (bit 3) asks for an immediate SACK, U (bit 2) unordered,
/// B (bit 1) first fragment, E (bit 0) last fragment.
/// <code>
///  0       4     6     8           12
///  | TSN   | SID | SSN | PPID      | user data ...
/// </code>
/// </summary>
internal sealed class DataChunk : SctpChunk
{
    public const int HeaderBytes = 16;
    public const byte EndFlag = 0x01;
    public const byte BeginFlag = 0x02;
    public const byte UnorderedFlag = 0x04;
    public const byte ImmediateFlag = 0x08;

    private readonly byte _flags;

    public DataChunk(uint tsn, ushort streamId, ushort ssn, uint ppid, ReadOnlyMemory<byte> payload, byte flags)
    {
        Tsn = tsn;
        StreamId = streamId;
        Ssn = ssn;
        Ppid = ppid;
        Payload = payload;
        _flags = flags;
    }

    public uint Tsn { get; }

    public ushort StreamId { get; }

    public ushort Ssn { get; }

    public uint Ppid { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    public bool IsBegin => (_flags & BeginFlag) != 0;

    public bool IsEnd => (_flags & EndFlag) != 0;

    public bool IsUnordered => (_flags & UnorderedFlag) != 0;

    public bool IsImmediate => (_flags & ImmediateFlag) != 0;

    public override byte TypeCode => (byte)SctpChunkType.Data;

    public override byte Flags => _flags;

    public override int ValueLength => 12 + Payload.Length;

    /// <summary>Parses the value. A DATA chunk without user data is refused: RFC 9260 calls it a protocol error ("no user data").</summary>
    public static DataChunk Read(byte flags, ReadOnlySpan<byte> value)
    {
        SctpFormat.Require(value, 12, "DATA");
        if (value.Length == 12)
        {
            throw SctpFormat.Error(WebRtcFormatProblem.InvalidValue, "DATA chunk without user data");
        }

        return new DataChunk(
            BinaryPrimitives.ReadUInt32BigEndian(value),
            BinaryPrimitives.ReadUInt16BigEndian(value[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(value[6..]),
            BinaryPrimitives.ReadUInt32BigEndian(value[8..]),
            value[12..].ToArray(),
            (byte)(flags & 0x0F));
    }

    protected override void WriteValue(Span<byte> value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(value, Tsn);
        BinaryPrimitives.WriteUInt16BigEndian(value[4..], StreamId);
        BinaryPrimitives.WriteUInt16BigEndian(value[6..], Ssn);
        BinaryPrimitives.WriteUInt32BigEndian(value[8..], Ppid);
        Payload.Span.CopyTo(value[12..]);
    }
}
