using Google.Protobuf;

namespace P2PSync.Protocol.Wire;

/// <summary>
/// One channel message = one protobuf-encoded <see cref="Envelope"/> (proto/p2psync.proto).
/// Decoding parses and then validates (see <see cref="EnvelopeValidator"/>), so code behind it
/// only ever sees envelopes whose ids, names and sync payloads are well formed.
/// </summary>
public static class EnvelopeCodec
{
    public static byte[] Encode(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return envelope.ToByteArray();
    }

    /// <exception cref="WireFormatException">Not a valid envelope.</exception>
    public static Envelope Decode(ReadOnlySpan<byte> bytes)
    {
        Envelope envelope;
        try
        {
            envelope = Envelope.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new WireFormatException($"envelope is not valid protobuf: {ex.Message}", ex);
        }

        EnvelopeValidator.Validate(envelope);
        return envelope;
    }
}
