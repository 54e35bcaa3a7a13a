using System.Text;

namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>
/// Maps user messages to SCTP payloads and PPIDs and back (RFC 8831 §6.6). SCTP cannot carry an
/// empty user message, so an empty string or buffer travels as one 0x00 byte under its own PPID.
/// </summary>
internal static class DataChannelPayload
{
    // Strict so that text that is not UTF-8 is refused here, where the PPID is known, instead of
    // turning into replacement characters in the application. Immutable, so shared.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The PPID and payload to send for a text message.</summary>
    public static (PayloadProtocolId Ppid, ReadOnlyMemory<byte> Payload) ForText(string text) =>
        text.Length == 0
            ? (PayloadProtocolId.StringEmpty, EmptyMarker())
            : (PayloadProtocolId.String, StrictUtf8.GetBytes(text));

    /// <summary>The PPID and payload to send for a binary message (not copied when non-empty).</summary>
    public static (PayloadProtocolId Ppid, ReadOnlyMemory<byte> Payload) ForBinary(ReadOnlyMemory<byte> data) =>
        data.IsEmpty
            ? (PayloadProtocolId.BinaryEmpty, EmptyMarker())
            : (PayloadProtocolId.Binary, data);

    /// <summary>
    /// The user message carried by an SCTP message with this PPID. DCEP (50) is not a user message,
    /// and the deprecated partial PPIDs (52, 54) are refused: no peer we talk to sends them.
    /// </summary>
    public static DataChannelMessage Read(uint ppid, ReadOnlyMemory<byte> payload)
    {
        switch ((PayloadProtocolId)ppid)
        {
            case PayloadProtocolId.String:
                CheckUtf8(payload.Span);
                return new DataChannelMessage(true, payload);
            case PayloadProtocolId.Binary:
                return new DataChannelMessage(false, payload);
            case PayloadProtocolId.StringEmpty:
                CheckEmptyMarker(payload, ppid);
                return new DataChannelMessage(true, ReadOnlyMemory<byte>.Empty);
            case PayloadProtocolId.BinaryEmpty:
                CheckEmptyMarker(payload, ppid);
                return new DataChannelMessage(false, ReadOnlyMemory<byte>.Empty);
            case PayloadProtocolId.StringPartial:
            case PayloadProtocolId.BinaryPartial:
                throw DcepFormat.Error(WebRtcFormatProblem.Unsupported, $"PPID {ppid} (deprecated partial message) is not supported");
            case PayloadProtocolId.Dcep:
                throw DcepFormat.Error(WebRtcFormatProblem.InvalidValue, "PPID 50 carries DCEP, not a user message");
            default:
                throw DcepFormat.Error(WebRtcFormatProblem.Unsupported, $"unknown PPID {ppid}");
        }
    }

    /// <summary>The text of a message read with <see cref="Read"/> (already checked to be UTF-8).</summary>
    public static string Text(DataChannelMessage message) => StrictUtf8.GetString(message.Data.Span);

    // A fresh byte each time: a shared array could be changed through the memory we hand out.
    private static byte[] EmptyMarker() => [0];

    private static void CheckEmptyMarker(ReadOnlyMemory<byte> payload, uint ppid)
    {
        // RFC 8831 §6.6 says the byte is 0x00; its value carries nothing, so only the length is held to.
        if (payload.Length != 1)
        {
            throw DcepFormat.Error(WebRtcFormatProblem.LengthMismatch, $"an empty message (PPID {ppid}) is one byte, got {payload.Length}");
        }
    }

    private static void CheckUtf8(ReadOnlySpan<byte> text)
    {
        if (!System.Text.Unicode.Utf8.IsValid(text))
        {
            throw DcepFormat.Error(WebRtcFormatProblem.InvalidValue, "a text message (PPID 51) is not valid UTF-8");
        }
    }
}
