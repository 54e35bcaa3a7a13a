using System.Buffers.Binary;

namespace P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

/// <summary>
/// SACK (type 3, RFC 9260 §3.3.4).
/// <code>
///  0              4        8          10         12
///  | cum TSN ack  | a_rwnd | nGap     | nDup     | {gap start(2) gap end(2)} x nGap | {dup TSN(4)} x nDup
/// </code>
/// </summary>
internal sealed class SackChunk : SctpChunk
{
    public SackChunk(uint cumulativeTsnAck, uint advertisedReceiveWindow, IReadOnlyList<GapAckBlock> gapBlocks, IReadOnlyList<uint> duplicateTsns)
    {
        CumulativeTsnAck = cumulativeTsnAck;
        AdvertisedReceiveWindow = advertisedReceiveWindow;
        GapBlocks = gapBlocks;
        DuplicateTsns = duplicateTsns;
    }

    public uint CumulativeTsnAck { get; }

    public uint AdvertisedReceiveWindow { get; }

    public IReadOnlyList<GapAckBlock> GapBlocks { get; }

    public IReadOnlyList<uint> DuplicateTsns { get; }

    public override byte TypeCode => (byte)SctpChunkType.Sack;

    public override int ValueLength => 12 + (4 * GapBlocks.Count) + (4 * DuplicateTsns.Count);

    public static SackChunk Read(ReadOnlySpan<byte> value)
    {
        SctpFormat.Require(value, 12, "SACK");
        var gaps = BinaryPrimitives.ReadUInt16BigEndian(value[8..]);
        var dups = BinaryPrimitives.ReadUInt16BigEndian(value[10..]);
        var expected = 12 + (4 * gaps) + (4 * dups);
        if (value.Length != expected)
        {
            throw SctpFormat.Error(WebRtcFormatProblem.LengthMismatch, $"SACK with {gaps} gap blocks and {dups} duplicates needs {expected} bytes, has {value.Length}");
        }

        var blocks = new GapAckBlock[gaps];
        for (var i = 0; i < gaps; i++)
        {
            var start = BinaryPrimitives.ReadUInt16BigEndian(value[(12 + (4 * i))..]);
            var end = BinaryPrimitives.ReadUInt16BigEndian(value[(14 + (4 * i))..]);
            if (start == 0 || end < start)
            {
                throw SctpFormat.Error(WebRtcFormatProblem.InvalidValue, $"SACK gap block {start}..{end}");
            }

            blocks[i] = new GapAckBlock(start, end);
        }

        var duplicates = new uint[dups];
        var at = 12 + (4 * gaps);
        for (var i = 0; i < dups; i++)
        {
            duplicates[i] = BinaryPrimitives.ReadUInt32BigEndian(value[(at + (4 * i))..]);
        }

        return new SackChunk(BinaryPrimitives.ReadUInt32BigEndian(value), BinaryPrimitives.ReadUInt32BigEndian(value[4..]), blocks, duplicates);
    }

    protected override void WriteValue(Span<byte> value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(value, CumulativeTsnAck);
        BinaryPrimitives.WriteUInt32BigEndian(value[4..], AdvertisedReceiveWindow);
        BinaryPrimitives.WriteUInt16BigEndian(value[8..], checked((ushort)GapBlocks.Count));
        BinaryPrimitives.WriteUInt16BigEndian(value[10..], checked((ushort)DuplicateTsns.Count));
        var at = 12;
        foreach (var block in GapBlocks)
        {
            BinaryPrimitives.WriteUInt16BigEndian(value[at..], block.Start);
            BinaryPrimitives.WriteUInt16BigEndian(value[(at + 2)..], block.End);
            at += 4;
        }

        foreach (var tsn in DuplicateTsns)
        {
            BinaryPrimitives.WriteUInt32BigEndian(value[at..], tsn);
            at += 4;
        }
    }
}
