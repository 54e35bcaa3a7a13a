using System.Buffers.Binary;
using P2PSync.Node.Transport.WebRtc.Sctp.Params;

namespace P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

/// <summary>
/// RE-CONFIG (type 130, RFC 6525 §3.1): one or two re-configuration parameters, each a TLV padded
/// to 4 bytes. More than two, or none, is refused.
/// </summary>
internal sealed class ReConfigChunk : SctpChunk
{
    public ReConfigChunk(IReadOnlyList<ReConfigParameter> parameters) => Parameters = parameters;

    public IReadOnlyList<ReConfigParameter> Parameters { get; }

    public override byte TypeCode => (byte)SctpChunkType.ReConfig;

    public override int ValueLength
    {
        get
        {
            var length = 0;
            for (var i = 0; i < Parameters.Count; i++)
            {
                length += i == Parameters.Count - 1 ? 4 + Parameters[i].ValueLength : Parameters[i].PaddedLength;
            }

            return length;
        }
    }

    public static ReConfigChunk Read(ReadOnlySpan<byte> value)
    {
        var parameters = new List<ReConfigParameter>(2);
        while (value.Length > 0)
        {
            SctpFormat.Require(value, 4, "RE-CONFIG parameter header");
            var type = BinaryPrimitives.ReadUInt16BigEndian(value);
            var length = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
            if (length < 4)
            {
                throw SctpFormat.Error(WebRtcFormatProblem.LengthMismatch, $"RE-CONFIG parameter {type} has length {length}");
            }

            SctpFormat.Require(value, length, $"RE-CONFIG parameter {type}");
            if (parameters.Count == 2)
            {
                throw SctpFormat.Error(WebRtcFormatProblem.TooLarge, "RE-CONFIG with more than two parameters");
            }

            parameters.Add(ReConfigParameter.Read(type, value[4..length]));
            var padded = SctpFormat.Pad4(length);
            value = padded <= value.Length ? value[padded..] : [];
        }

        if (parameters.Count == 0)
        {
            throw SctpFormat.Error(WebRtcFormatProblem.Missing, "RE-CONFIG without parameters");
        }

        return new ReConfigChunk(parameters);
    }

    protected override void WriteValue(Span<byte> value)
    {
        var scratch = new byte[SctpFormat.Pad4(value.Length)];
        var at = 0;
        foreach (var parameter in Parameters)
        {
            parameter.Write(scratch.AsSpan(at));
            at += parameter.PaddedLength;
        }

        scratch.AsSpan(0, value.Length).CopyTo(value);
    }
}
