using System.Buffers.Binary;

namespace P2PSync.Node.Transport.WebRtc.Sctp.Params;

/// <summary>
/// One parameter of a RE-CONFIG chunk (RFC 6525 §4): type(2) length(2) value, padded to 4 bytes.
/// A chunk carries one or two of them (a request, a response, or a response plus our own request).
/// </summary>
internal abstract class ReConfigParameter
{
    public abstract ReConfigParameterType Type { get; }

    public abstract int ValueLength { get; }

    public int PaddedLength => SctpFormat.Pad4(4 + ValueLength);

    public static ReConfigParameter Read(ushort type, ReadOnlySpan<byte> value) => (ReConfigParameterType)type switch
    {
        ReConfigParameterType.OutgoingSsnResetRequest => OutgoingResetRequest.ReadValue(value),
        ReConfigParameterType.IncomingSsnResetRequest => IncomingResetRequest.ReadValue(value),
        ReConfigParameterType.ReconfigurationResponse => ReConfigResponse.ReadValue(value),
        ReConfigParameterType.SsnTsnResetRequest or ReConfigParameterType.AddOutgoingStreamsRequest or ReConfigParameterType.AddIncomingStreamsRequest
            => UnsupportedReConfigRequest.ReadValue((ReConfigParameterType)type, value),
        _ => throw SctpFormat.Error(WebRtcFormatProblem.Unsupported, $"RE-CONFIG parameter type {type}"),
    };

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)Type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], checked((ushort)(4 + ValueLength)));
        WriteValue(destination.Slice(4, ValueLength));
        destination[(4 + ValueLength)..PaddedLength].Clear();
    }

    protected abstract void WriteValue(Span<byte> value);

    /// <summary>Reads the stream list that ends both reset requests; an odd byte count cannot be a list of 16-bit ids.</summary>
    protected static ushort[] ReadStreamIds(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 2 != 0)
        {
            throw SctpFormat.Error(WebRtcFormatProblem.LengthMismatch, "stream list with an odd number of bytes");
        }

        var ids = new ushort[bytes.Length / 2];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = BinaryPrimitives.ReadUInt16BigEndian(bytes[(2 * i)..]);
        }

        return ids;
    }

    protected static void WriteStreamIds(IReadOnlyList<ushort> ids, Span<byte> destination)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(2 * i)..], ids[i]);
        }
    }
}
