namespace P2PSync.Protocol.YProtocols;

/// <summary>
/// One y-websocket message (one websocket binary frame):
/// <code>
/// +--------------+---------------------------------------------------------------+
/// | varuint type | body                                                          |
/// +--------------+---------------------------------------------------------------+
///   0 Sync            SyncMessage (see <see cref="SyncMessage"/>), inline
///   1 Awareness       varuint n | n bytes awareness update (see <see cref="AwarenessUpdate"/>)
///   2 Auth            varuint 0 (permission denied) | varstring reason
///   3 QueryAwareness  (empty)
/// </code>
/// Exactly one of <see cref="Sync"/>, <see cref="Awareness"/>, <see cref="DeniedReason"/> is set
/// according to <see cref="Type"/> (none for QueryAwareness).
/// </summary>
public sealed class YWebsocketMessage
{
    private const ulong AuthPermissionDenied = 0;

    private YWebsocketMessage(YWebsocketMessageType type, SyncMessage? sync, byte[]? awareness, string? deniedReason)
    {
        Type = type;
        Sync = sync;
        Awareness = awareness;
        DeniedReason = deniedReason;
    }

    public YWebsocketMessageType Type { get; }

    public SyncMessage? Sync { get; }

    /// <summary>The encoded awareness update (decode with <see cref="AwarenessUpdate.Decode"/>).</summary>
    public byte[]? Awareness { get; }

    public string? DeniedReason { get; }

    public static YWebsocketMessage ForSync(SyncMessage sync) =>
        new(YWebsocketMessageType.Sync, sync ?? throw new ArgumentNullException(nameof(sync)), null, null);

    public static YWebsocketMessage ForAwareness(ReadOnlySpan<byte> awarenessUpdate) =>
        new(YWebsocketMessageType.Awareness, null, awarenessUpdate.ToArray(), null);

    public static YWebsocketMessage QueryAwareness() => new(YWebsocketMessageType.QueryAwareness, null, null, null);

    public static YWebsocketMessage PermissionDenied(string reason) =>
        new(YWebsocketMessageType.Auth, null, null, reason ?? throw new ArgumentNullException(nameof(reason)));

    public byte[] Encode()
    {
        var writer = new Lib0Writer((Sync?.Payload.Length ?? Awareness?.Length ?? 16) + 16);
        writer.WriteVarUint((ulong)Type);
        switch (Type)
        {
            case YWebsocketMessageType.Sync:
                Sync!.Write(writer);
                break;
            case YWebsocketMessageType.Awareness:
                writer.WriteVarUint8Array(Awareness);
                break;
            case YWebsocketMessageType.Auth:
                writer.WriteVarUint(AuthPermissionDenied);
                writer.WriteVarString(DeniedReason!);
                break;
        }

        return writer.ToArray();
    }

    /// <summary>
    /// Decodes one websocket frame. The awareness body is checked to be a well-formed awareness
    /// update so a relay never forwards one that would throw in the other clients.
    /// </summary>
    /// <exception cref="YProtocolFormatException">The frame is not one y-websocket message.</exception>
    public static YWebsocketMessage Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new Lib0Reader(bytes);
        var type = reader.ReadVarUint();
        YWebsocketMessage message;
        switch (type)
        {
            case (ulong)YWebsocketMessageType.Sync:
                message = ForSync(SyncMessage.Read(ref reader));
                break;
            case (ulong)YWebsocketMessageType.Awareness:
                var update = reader.ReadVarUint8Array();
                AwarenessUpdate.Decode(update);
                message = ForAwareness(update);
                break;
            case (ulong)YWebsocketMessageType.Auth:
                var authType = reader.ReadVarUint();
                if (authType != AuthPermissionDenied)
                {
                    throw new YProtocolFormatException($"unknown auth message type {authType}");
                }

                message = PermissionDenied(reader.ReadVarString());
                break;
            case (ulong)YWebsocketMessageType.QueryAwareness:
                message = QueryAwareness();
                break;
            default:
                throw new YProtocolFormatException($"unknown y-websocket message type {type}");
        }

        reader.ExpectEnd("y-websocket message");
        return message;
    }
}
