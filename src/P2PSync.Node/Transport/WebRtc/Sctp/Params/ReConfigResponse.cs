using System.Buffers.Binary;

namespace P2PSync.Node.Transport.WebRtc.Sctp.Params;

/// <summary>
/// Re-configuration Response (16, RFC 6525 §4.4): resp seq(4) result(4), and for SSN/TSN resets
/// also sender's next TSN(4) receiver's next TSN(4) (both or neither).
/// </summary>
internal sealed class ReConfigResponse : ReConfigParameter
{
    public ReConfigResponse(uint responseSequence, ReConfigResult result, uint? senderNextTsn = null, uint? receiverNextTsn = null)
    {
        ResponseSequence = responseSequence;
        Result = result;
        SenderNextTsn = senderNextTsn;
        ReceiverNextTsn = receiverNextTsn;
    }

    public uint ResponseSequence { get; }

    public ReConfigResult Result { get; }

    public uint? SenderNextTsn { get; }

    public uint? ReceiverNextTsn { get; }

    public override ReConfigParameterType Type => ReConfigParameterType.ReconfigurationResponse;

    public override int ValueLength => SenderNextTsn is null ? 8 : 16;

    public static ReConfigResponse ReadValue(ReadOnlySpan<byte> value)
    {
        if (value.Length != 8 && value.Length != 16)
        {
            throw SctpFormat.Error(WebRtcFormatProblem.LengthMismatch, $"Re-configuration Response of {value.Length} bytes (8 or 16)");
        }

        var sequence = BinaryPrimitives.ReadUInt32BigEndian(value);
        var result = (ReConfigResult)BinaryPrimitives.ReadUInt32BigEndian(value[4..]);
        return value.Length == 8
            ? new ReConfigResponse(sequence, result)
            : new ReConfigResponse(sequence, result, BinaryPrimitives.ReadUInt32BigEndian(value[8..]), BinaryPrimitives.ReadUInt32BigEndian(value[12..]));
    }

    protected override void WriteValue(Span<byte> value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(value, ResponseSequence);
        BinaryPrimitives.WriteUInt32BigEndian(value[4..], (uint)Result);
        if (SenderNextTsn is { } sender)
        {
            BinaryPrimitives.WriteUInt32BigEndian(value[8..], sender);
            BinaryPrimitives.WriteUInt32BigEndian(value[12..], ReceiverNextTsn ?? 0);
        }
    }
}
