using System.Buffers.Binary;

namespace P2PSync.Node.Transport.WebRtc.Sctp.Params;

/// <summary>
/// SSN/TSN Reset (15) and Add Outgoing/Incoming Streams (17/18): data channels never need them, so
/// we only read the request sequence number (the first 4 bytes of each) to answer "Denied".
/// </summary>
internal sealed class UnsupportedReConfigRequest : ReConfigParameter
{
    private readonly byte[] _rest;

    public UnsupportedReConfigRequest(ReConfigParameterType type, uint requestSequence, byte[] rest)
    {
        Type = type;
        RequestSequence = requestSequence;
        _rest = rest;
    }

    public override ReConfigParameterType Type { get; }

    public uint RequestSequence { get; }

    public override int ValueLength => 4 + _rest.Length;

    public static UnsupportedReConfigRequest ReadValue(ReConfigParameterType type, ReadOnlySpan<byte> value)
    {
        SctpFormat.Require(value, 4, $"RE-CONFIG {type}");
        return new UnsupportedReConfigRequest(type, BinaryPrimitives.ReadUInt32BigEndian(value), value[4..].ToArray());
    }

    protected override void WriteValue(Span<byte> value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(value, RequestSequence);
        _rest.CopyTo(value[4..]);
    }
}
