using System.Buffers.Binary;

namespace P2PSync.Node.Transport.WebRtc.Sctp.Params;

/// <summary>Incoming SSN Reset Request (14, RFC 6525 §4.2): "please reset your outgoing side of these streams". req seq(4) SID(2)...</summary>
internal sealed class IncomingResetRequest : ReConfigParameter
{
    public IncomingResetRequest(uint requestSequence, IReadOnlyList<ushort> streamIds)
    {
        RequestSequence = requestSequence;
        StreamIds = streamIds;
    }

    public uint RequestSequence { get; }

    public IReadOnlyList<ushort> StreamIds { get; }

    public override ReConfigParameterType Type => ReConfigParameterType.IncomingSsnResetRequest;

    public override int ValueLength => 4 + (2 * StreamIds.Count);

    public static IncomingResetRequest ReadValue(ReadOnlySpan<byte> value)
    {
        SctpFormat.Require(value, 4, "Incoming SSN Reset Request");
        return new IncomingResetRequest(BinaryPrimitives.ReadUInt32BigEndian(value), ReadStreamIds(value[4..]));
    }

    protected override void WriteValue(Span<byte> value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(value, RequestSequence);
        WriteStreamIds(StreamIds, value[4..]);
    }
}
