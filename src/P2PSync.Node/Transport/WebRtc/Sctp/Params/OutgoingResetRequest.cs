using System.Buffers.Binary;

namespace P2PSync.Node.Transport.WebRtc.Sctp.Params;

/// <summary>
/// Outgoing SSN Reset Request (13, RFC 6525 §4.1): "I will send nothing more on these streams after
/// TSN <see cref="SenderLastTsn"/>; reset your incoming SSNs for them". No streams means all.
/// <code>
///  0          4           8                12
///  | req seq  | resp seq  | sender last TSN | SID(2) ...
/// </code>
/// </summary>
internal sealed class OutgoingResetRequest : ReConfigParameter
{
    public OutgoingResetRequest(uint requestSequence, uint responseSequence, uint senderLastTsn, IReadOnlyList<ushort> streamIds)
    {
        RequestSequence = requestSequence;
        ResponseSequence = responseSequence;
        SenderLastTsn = senderLastTsn;
        StreamIds = streamIds;
    }

    public uint RequestSequence { get; }

    public uint ResponseSequence { get; }

    public uint SenderLastTsn { get; }

    public IReadOnlyList<ushort> StreamIds { get; }

    public override ReConfigParameterType Type => ReConfigParameterType.OutgoingSsnResetRequest;

    public override int ValueLength => 12 + (2 * StreamIds.Count);

    public static OutgoingResetRequest ReadValue(ReadOnlySpan<byte> value)
    {
        SctpFormat.Require(value, 12, "Outgoing SSN Reset Request");
        return new OutgoingResetRequest(
            BinaryPrimitives.ReadUInt32BigEndian(value),
            BinaryPrimitives.ReadUInt32BigEndian(value[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(value[8..]),
            ReadStreamIds(value[12..]));
    }

    protected override void WriteValue(Span<byte> value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(value, RequestSequence);
        BinaryPrimitives.WriteUInt32BigEndian(value[4..], ResponseSequence);
        BinaryPrimitives.WriteUInt32BigEndian(value[8..], SenderLastTsn);
        WriteStreamIds(StreamIds, value[12..]);
    }
}
