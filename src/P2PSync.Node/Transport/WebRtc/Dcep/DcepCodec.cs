using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>
/// Reads and writes DCEP messages (RFC 8832 §5). Layout of OPEN, big-endian:
/// <code>
///  0       1       2       3
/// +-------+-------+-------+-------+
/// | 0x03  | type  |   priority    |
/// +-------+-------+-------+-------+
/// |     reliability parameter     |
/// +-------+-------+-------+-------+
/// | label length  | proto length  |
/// +-------+-------+-------+-------+
/// | label bytes ... protocol bytes (no padding, nothing after)
/// </code>
/// ACK is the single byte 0x02. The whole SCTP message is one DCEP message, so bytes beyond the
/// declared lengths are refused rather than skipped: a peer that sends them disagrees with us
/// about the format, and guessing would create a channel with the wrong label.
/// </summary>
internal static class DcepCodec
{
    public const int OpenHeaderLength = 12;

    // Throwing on invalid UTF-8 instead of substituting U+FFFD: a label the peer cannot
    // have meant is a broken OPEN, and the encoding object is immutable, so sharing it is safe.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes one DCEP message; throws <see cref="WebRtcFormatException"/> (layer DCEP) for anything else.</summary>
    public static DcepMessage Read(ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty)
        {
            throw DcepFormat.Error(WebRtcFormatProblem.Truncated, "empty DCEP message");
        }

        return message[0] switch
        {
            (byte)DcepMessageType.Ack => ReadAck(message),
            (byte)DcepMessageType.Open => ReadOpen(message),
            var other => throw DcepFormat.Error(WebRtcFormatProblem.Unsupported, $"unknown DCEP message type 0x{other:x2}"),
        };
    }

    /// <summary>Appends the encoding of <paramref name="message"/> to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">A label or protocol longer than 65535 UTF-8 bytes.</exception>
    public static void Write(DcepMessage message, IBufferWriter<byte> output)
    {
        switch (message)
        {
            case DataChannelAck:
                output.GetSpan(1)[0] = (byte)DcepMessageType.Ack;
                output.Advance(1);
                break;
            case DataChannelOpen open:
                WriteOpen(open, output);
                break;
            default:
                throw new ArgumentException($"not a DCEP message type: {message.GetType().Name}", nameof(message));
        }
    }

    /// <summary>The encoding as a fresh array (what the SCTP send path takes).</summary>
    public static byte[] ToArray(DcepMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static DataChannelAck ReadAck(ReadOnlySpan<byte> message)
    {
        if (message.Length != 1)
        {
            throw DcepFormat.Error(WebRtcFormatProblem.LengthMismatch, $"DATA_CHANNEL_ACK is 1 byte, got {message.Length}");
        }

        return DataChannelAck.Instance;
    }

    private static DataChannelOpen ReadOpen(ReadOnlySpan<byte> message)
    {
        if (message.Length < OpenHeaderLength)
        {
            throw DcepFormat.Error(WebRtcFormatProblem.Truncated, $"DATA_CHANNEL_OPEN needs {OpenHeaderLength} header bytes, got {message.Length}");
        }

        var typeByte = message[1];
        if (!DataChannelTypes.IsDefined(typeByte))
        {
            throw DcepFormat.Error(WebRtcFormatProblem.InvalidValue, $"unknown channel type 0x{typeByte:x2}");
        }

        var priority = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        var reliability = BinaryPrimitives.ReadUInt32BigEndian(message[4..]);
        int labelLength = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        int protocolLength = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        var declared = OpenHeaderLength + labelLength + protocolLength;
        if (message.Length < declared)
        {
            throw DcepFormat.Error(
                WebRtcFormatProblem.Truncated,
                $"DATA_CHANNEL_OPEN declares a {labelLength}-byte label and a {protocolLength}-byte protocol but carries {message.Length - OpenHeaderLength} bytes after the header");
        }

        if (message.Length > declared)
        {
            throw DcepFormat.Error(
                WebRtcFormatProblem.LengthMismatch,
                $"DATA_CHANNEL_OPEN has {message.Length - declared} bytes after its label and protocol");
        }

        var label = DecodeUtf8(message.Slice(OpenHeaderLength, labelLength), "label");
        var protocol = DecodeUtf8(message.Slice(OpenHeaderLength + labelLength, protocolLength), "protocol");
        return new DataChannelOpen((DataChannelType)typeByte, priority, reliability, label, protocol);
    }

    private static void WriteOpen(DataChannelOpen open, IBufferWriter<byte> output)
    {
        var labelLength = EncodedLength(open.Label, "label");
        var protocolLength = EncodedLength(open.Protocol, "protocol");
        var total = OpenHeaderLength + labelLength + protocolLength;
        var span = output.GetSpan(total)[..total];
        span[0] = (byte)DcepMessageType.Open;
        span[1] = (byte)open.ChannelType;
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], open.Priority);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], open.ReliabilityParameter);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], (ushort)labelLength);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)protocolLength);
        StrictUtf8.GetBytes(open.Label, span.Slice(OpenHeaderLength, labelLength));
        StrictUtf8.GetBytes(open.Protocol, span.Slice(OpenHeaderLength + labelLength, protocolLength));
        output.Advance(total);
    }

    private static int EncodedLength(string text, string what)
    {
        int length;
        try
        {
            length = StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"the {what} is not valid Unicode (lone surrogate)", what, e);
        }

        if (length > ushort.MaxValue)
        {
            throw new ArgumentException($"the {what} is {length} UTF-8 bytes; DCEP allows at most {ushort.MaxValue}", what);
        }

        return length;
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw DcepFormat.Error(WebRtcFormatProblem.InvalidValue, $"the channel {what} is not valid UTF-8");
        }
    }
}
