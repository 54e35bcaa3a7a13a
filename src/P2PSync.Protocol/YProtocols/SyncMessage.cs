namespace P2PSync.Protocol.YProtocols;

/// <summary>
/// One y-protocols sync message, byte-identical to y-protocols 1.0.7 <c>writeSyncStep1</c>,
/// <c>writeSyncStep2</c> and <c>writeUpdate</c>:
/// <code>
/// +--------------+-------------------+----------------------------------------------+
/// | varuint type | varuint length n  | n bytes payload                              |
/// +--------------+-------------------+----------------------------------------------+
///   0 SyncStep1    payload = encoded state vector (v1)
///   1 SyncStep2    payload = update v1 (what the receiver of our SyncStep1 lacks)
///   2 Update       payload = update v1
/// </code>
/// The payload is not interpreted here; the CRDT validates it when it is applied.
/// </summary>
public sealed class SyncMessage
{
    private SyncMessage(SyncMessageType type, byte[] payload)
    {
        Type = type;
        Payload = payload;
    }

    public SyncMessageType Type { get; }

    /// <summary>State vector (SyncStep1) or v1 update (SyncStep2, Update).</summary>
    public byte[] Payload { get; }

    public static SyncMessage Step1(ReadOnlySpan<byte> stateVector) => new(SyncMessageType.SyncStep1, stateVector.ToArray());

    public static SyncMessage Step2(ReadOnlySpan<byte> update) => new(SyncMessageType.SyncStep2, update.ToArray());

    public static SyncMessage Update(ReadOnlySpan<byte> update) => new(SyncMessageType.Update, update.ToArray());

    /// <summary>The message as y-protocols writes it.</summary>
    public byte[] Encode()
    {
        var writer = new Lib0Writer(Payload.Length + 8);
        Write(writer);
        return writer.ToArray();
    }

    /// <summary>Decodes exactly one sync message; trailing bytes are an error.</summary>
    /// <exception cref="YProtocolFormatException">The bytes are not one sync message.</exception>
    public static SyncMessage Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new Lib0Reader(bytes);
        var message = Read(ref reader);
        reader.ExpectEnd("sync message");
        return message;
    }

    internal void Write(Lib0Writer writer)
    {
        writer.WriteVarUint((ulong)Type);
        writer.WriteVarUint8Array(Payload);
    }

    internal static SyncMessage Read(ref Lib0Reader reader)
    {
        var type = reader.ReadVarUint();
        if (type > (ulong)SyncMessageType.Update)
        {
            throw new YProtocolFormatException($"unknown sync message type {type}");
        }

        return new SyncMessage((SyncMessageType)type, reader.ReadVarUint8Array().ToArray());
    }
}
