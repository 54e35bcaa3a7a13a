using System.Buffers.Binary;

namespace P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

/// <summary>
/// FORWARD TSN (type 192, RFC 3758 §3.2): the receiver should move its cumulative TSN to
/// <see cref="NewCumulativeTsn"/> as if everything up to it had arrived.
/// <code>
///  0                  4
///  | new cum TSN      | {SID(2) SSN(2)} ...
/// </code>
/// </summary>
internal sealed class ForwardTsnChunk : SctpChunk
{
    public ForwardTsnChunk(uint newCumulativeTsn, IReadOnlyList<ForwardTsnStream> streams)
    {
        NewCumulativeTsn = newCumulativeTsn;
        Streams = streams;
    }

    public uint NewCumulativeTsn { get; }

    public IReadOnlyList<ForwardTsnStream> Streams { get; }

    public override byte TypeCode => (byte)SctpChunkType.ForwardTsn;

    public override int ValueLength => 4 + (4 * Streams.Count);

    public static ForwardTsnChunk Read(ReadOnlySpan<byte> value)
    {
        SctpFormat.Require(value, 4, "FORWARD TSN");
        if (value.Length % 4 != 0)
        {
            throw SctpFormat.Error(WebRtcFormatProblem.LengthMismatch, $"FORWARD TSN value of {value.Length} bytes is not whole stream entries");
        }

        var streams = new ForwardTsnStream[(value.Length - 4) / 4];
        for (var i = 0; i < streams.Length; i++)
        {
            var at = 4 + (4 * i);
            streams[i] = new ForwardTsnStream(BinaryPrimitives.ReadUInt16BigEndian(value[at..]), BinaryPrimitives.ReadUInt16BigEndian(value[(at + 2)..]));
        }

        return new ForwardTsnChunk(BinaryPrimitives.ReadUInt32BigEndian(value), streams);
    }

    protected override void WriteValue(Span<byte> value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(value, NewCumulativeTsn);
        for (var i = 0; i < Streams.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(value[(4 + (4 * i))..], Streams[i].StreamId);
            BinaryPrimitives.WriteUInt16BigEndian(value[(6 + (4 * i))..], Streams[i].Ssn);
        }
    }
}
