using System.Buffers.Binary;

namespace P2PSync.Node.Transport.WebRtc.Sctp.Params;

/// <summary>
/// One error cause in ABORT or ERROR (RFC 9260 §3.3.10): code(2) length(2, with header, without
/// padding) info, padded to 4 bytes.
/// </summary>
internal sealed record ErrorCause(ErrorCauseCode Code, byte[] Info)
{
    public int PaddedLength => SctpFormat.Pad4(4 + Info.Length);

    public static IReadOnlyList<ErrorCause> ReadAll(ReadOnlySpan<byte> bytes)
    {
        var causes = new List<ErrorCause>();
        while (bytes.Length > 0)
        {
            SctpFormat.Require(bytes, 4, "error cause header");
            var code = BinaryPrimitives.ReadUInt16BigEndian(bytes);
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
            if (length < 4)
            {
                throw SctpFormat.Error(WebRtcFormatProblem.LengthMismatch, $"error cause {code} has length {length}");
            }

            SctpFormat.Require(bytes, length, $"error cause {code}");
            causes.Add(new ErrorCause((ErrorCauseCode)code, bytes[4..length].ToArray()));
            var padded = SctpFormat.Pad4(length);
            bytes = padded <= bytes.Length ? bytes[padded..] : [];
        }

        return causes;
    }

    public static int WriteAll(IReadOnlyList<ErrorCause> causes, Span<byte> destination)
    {
        var at = 0;
        foreach (var cause in causes)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[at..], (ushort)cause.Code);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(at + 2)..], checked((ushort)(4 + cause.Info.Length)));
            cause.Info.CopyTo(destination[(at + 4)..]);
            destination[(at + 4 + cause.Info.Length)..(at + cause.PaddedLength)].Clear();
            at += cause.PaddedLength;
        }

        return at;
    }

    /// <summary>The unpadded length of a list written with <see cref="WriteAll"/>, so a chunk's length field stays exact.</summary>
    public static int UnpaddedLength(IReadOnlyList<ErrorCause> causes)
    {
        if (causes.Count == 0)
        {
            return 0;
        }

        var total = 0;
        for (var i = 0; i < causes.Count - 1; i++)
        {
            total += causes[i].PaddedLength;
        }

        return total + 4 + causes[^1].Info.Length;
    }
}
