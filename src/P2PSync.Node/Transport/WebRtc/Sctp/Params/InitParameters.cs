using System.Buffers.Binary;

namespace P2PSync.Node.Transport.WebRtc.Sctp.Params;

/// <summary>
/// The optional/variable part of INIT and INIT ACK: a list of TLVs, type(2) length(2, with header,
/// without padding) value, each padded to 4 bytes. We keep what we act on (state cookie,
/// Forward-TSN-Supported, Supported Extensions) and the unknown ones the top bits ask us to report.
/// </summary>
internal sealed class InitParameters
{
    public byte[]? StateCookie { get; init; }

    public bool ForwardTsnSupported { get; init; }

    /// <summary>Chunk types listed in Supported Extensions (0x8008), one byte each.</summary>
    public byte[] SupportedExtensions { get; init; } = [];

    /// <summary>Whole TLVs (header included, unpadded) of unknown parameters whose type asks for a report.</summary>
    public IReadOnlyList<byte[]> UnrecognizedToReport { get; init; } = [];

    public bool SupportsReConfig => Array.IndexOf(SupportedExtensions, (byte)130) >= 0;

    /// <summary>Bytes of the parameter list as the chunk length counts them: every parameter padded except the last.</summary>
    public int EncodedLength
    {
        get
        {
            var lengths = new List<int>();
            if (StateCookie is not null)
            {
                lengths.Add(4 + StateCookie.Length);
            }

            foreach (var unknown in UnrecognizedToReport)
            {
                lengths.Add(4 + unknown.Length);
            }

            if (ForwardTsnSupported)
            {
                lengths.Add(4);
            }

            if (SupportedExtensions.Length > 0)
            {
                lengths.Add(4 + SupportedExtensions.Length);
            }

            var total = 0;
            for (var i = 0; i < lengths.Count; i++)
            {
                total += i == lengths.Count - 1 ? lengths[i] : SctpFormat.Pad4(lengths[i]);
            }

            return total;
        }
    }

    public static InitParameters Read(ReadOnlySpan<byte> bytes)
    {
        byte[]? cookie = null;
        var forwardTsn = false;
        byte[] extensions = [];
        var report = new List<byte[]>();
        while (bytes.Length > 0)
        {
            SctpFormat.Require(bytes, 4, "INIT parameter header");
            var type = BinaryPrimitives.ReadUInt16BigEndian(bytes);
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
            if (length < 4)
            {
                throw SctpFormat.Error(WebRtcFormatProblem.LengthMismatch, $"INIT parameter {type:X4} has length {length}");
            }

            SctpFormat.Require(bytes, length, $"INIT parameter {type:X4}");
            var value = bytes[4..length];
            switch ((InitParameterType)type)
            {
                case InitParameterType.StateCookie:
                    if (value.Length == 0)
                    {
                        throw SctpFormat.Error(WebRtcFormatProblem.InvalidValue, "empty state cookie");
                    }

                    cookie = value.ToArray();
                    break;
                case InitParameterType.ForwardTsnSupported:
                    forwardTsn = true;
                    break;
                case InitParameterType.SupportedExtensions:
                    extensions = value.ToArray();
                    break;
                case InitParameterType.Ipv4Address:
                case InitParameterType.Ipv6Address:
                case InitParameterType.UnrecognizedParameter:
                case InitParameterType.CookiePreservative:
                case InitParameterType.HostNameAddress:
                case InitParameterType.SupportedAddressTypes:
                case InitParameterType.EcnCapable:
                case InitParameterType.ZeroChecksumAcceptable:
                case InitParameterType.Random:
                case InitParameterType.ChunkList:
                case InitParameterType.HmacAlgorithm:
                    // Addresses mean nothing over DTLS; the rest are extensions we do not negotiate.
                    break;
                default:
                    // RFC 9260 §3.2.1: the top two bits of an unknown type say skip-or-stop and report-or-not.
                    if ((type & 0x4000) != 0)
                    {
                        report.Add(bytes[..length].ToArray());
                    }

                    if ((type & 0x8000) == 0)
                    {
                        return new InitParameters { StateCookie = cookie, ForwardTsnSupported = forwardTsn, SupportedExtensions = extensions, UnrecognizedToReport = report };
                    }

                    break;
            }

            var padded = SctpFormat.Pad4(length);
            bytes = padded <= bytes.Length ? bytes[padded..] : [];
        }

        return new InitParameters { StateCookie = cookie, ForwardTsnSupported = forwardTsn, SupportedExtensions = extensions, UnrecognizedToReport = report };
    }

    public void Write(Span<byte> destination)
    {
        var at = 0;
        if (StateCookie is not null)
        {
            at += WriteTlv(destination[at..], (ushort)InitParameterType.StateCookie, StateCookie);
        }

        foreach (var unknown in UnrecognizedToReport)
        {
            at += WriteTlv(destination[at..], (ushort)InitParameterType.UnrecognizedParameter, unknown);
        }

        if (ForwardTsnSupported)
        {
            at += WriteTlv(destination[at..], (ushort)InitParameterType.ForwardTsnSupported, []);
        }

        if (SupportedExtensions.Length > 0)
        {
            WriteTlv(destination[at..], (ushort)InitParameterType.SupportedExtensions, SupportedExtensions);
        }
    }

    private static int WriteTlv(Span<byte> destination, ushort type, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], checked((ushort)(4 + value.Length)));
        value.CopyTo(destination[4..]);
        var padded = SctpFormat.Pad4(4 + value.Length);
        // The last parameter's padding belongs to the chunk, which may end before it.
        destination[(4 + value.Length)..Math.Min(padded, destination.Length)].Clear();
        return padded;
    }
}
