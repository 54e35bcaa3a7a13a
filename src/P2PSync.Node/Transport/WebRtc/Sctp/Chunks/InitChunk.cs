using System.Buffers.Binary;
using P2PSync.Node.Transport.WebRtc.Sctp.Params;

namespace P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

/// <summary>
/// INIT (type 1) and INIT ACK (type 2) share one layout (RFC 9260 §3.3.2/§3.3.3); INIT ACK must
/// carry a State Cookie.
/// <code>
///  0              4          8     10    12            16
///  | initiate tag | a_rwnd   | OS  | MIS | initial TSN | parameters ...
/// </code>
/// </summary>
internal sealed class InitChunk : SctpChunk
{
    public InitChunk(bool isAck, uint initiateTag, uint advertisedReceiveWindow, ushort outboundStreams, ushort inboundStreams, uint initialTsn, InitParameters parameters)
    {
        IsAck = isAck;
        InitiateTag = initiateTag;
        AdvertisedReceiveWindow = advertisedReceiveWindow;
        OutboundStreams = outboundStreams;
        InboundStreams = inboundStreams;
        InitialTsn = initialTsn;
        Parameters = parameters;
    }

    public bool IsAck { get; }

    public uint InitiateTag { get; }

    public uint AdvertisedReceiveWindow { get; }

    public ushort OutboundStreams { get; }

    public ushort InboundStreams { get; }

    public uint InitialTsn { get; }

    public InitParameters Parameters { get; }

    public override byte TypeCode => (byte)(IsAck ? SctpChunkType.InitAck : SctpChunkType.Init);

    public override int ValueLength => 16 + Parameters.EncodedLength;

    public static InitChunk Read(bool isAck, ReadOnlySpan<byte> value)
    {
        var name = isAck ? "INIT ACK" : "INIT";
        SctpFormat.Require(value, 16, name);
        var tag = BinaryPrimitives.ReadUInt32BigEndian(value);
        var outbound = BinaryPrimitives.ReadUInt16BigEndian(value[8..]);
        var inbound = BinaryPrimitives.ReadUInt16BigEndian(value[10..]);
        if (tag == 0)
        {
            throw SctpFormat.Error(WebRtcFormatProblem.InvalidValue, $"{name} with initiate tag 0");
        }

        if (outbound == 0 || inbound == 0)
        {
            throw SctpFormat.Error(WebRtcFormatProblem.InvalidValue, $"{name} with zero streams (OS {outbound}, MIS {inbound})");
        }

        var parameters = InitParameters.Read(value[16..]);
        if (isAck && parameters.StateCookie is null)
        {
            throw SctpFormat.Error(WebRtcFormatProblem.Missing, "INIT ACK without a state cookie");
        }

        return new InitChunk(isAck, tag, BinaryPrimitives.ReadUInt32BigEndian(value[4..]), outbound, inbound, BinaryPrimitives.ReadUInt32BigEndian(value[12..]), parameters);
    }

    protected override void WriteValue(Span<byte> value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(value, InitiateTag);
        BinaryPrimitives.WriteUInt32BigEndian(value[4..], AdvertisedReceiveWindow);
        BinaryPrimitives.WriteUInt16BigEndian(value[8..], OutboundStreams);
        BinaryPrimitives.WriteUInt16BigEndian(value[10..], InboundStreams);
        BinaryPrimitives.WriteUInt32BigEndian(value[12..], InitialTsn);
        Parameters.Write(value[16..]);
    }
}
