using P2PSync.Crdt;
using P2PSync.Node.Handoff;
using P2PSync.Node.Hosting;
using P2PSync.Protocol.YProtocols;

namespace P2PSync.Node.Transport.WebRtc.YWebRtc;

/// <summary>
/// y-webrtc's data channel protocol with one remote room peer, over the node's live document.
/// Messages use y-websocket's numbering (y-webrtc.js: messageSync 0, messageAwareness 1,
/// messageQueryAwareness 3), so <see cref="YWebsocketMessage"/> is the codec:
/// <code>
/// on open:      -> [0][SyncStep1 our state vector]   -> [1][awareness of every known client] (if any)
/// [0][Step1 sv] -> [0][Step2 diff]                    [0][Step2|Update u] -> applied to the document
/// [1][update]   -> into the awareness hub            [3]                 -> [1][awareness of every client]
/// </code>
/// The payloads are never encrypted, password or not: y-webrtc seals only signalling and its
/// BroadcastChannel; the data channel relies on DTLS. Bad bytes raise <see cref="YProtocolFormatException"/>
/// (the link then closes, as a y-webrtc peer would stop making sense of the conversation).
/// </summary>
internal sealed class RoomPeerSync : IUpdateSource
{
    private readonly DocumentHub _hub;
    private readonly AwarenessHub _awareness;

    public RoomPeerSync(string docId, DocumentHub hub, AwarenessHub awareness, string remotePeerId)
    {
        DocId = docId;
        _hub = hub;
        _awareness = awareness;
        RemotePeerId = remotePeerId;
        OriginLabel = $"ywebrtc:{(remotePeerId.Length > 8 ? remotePeerId[..8] : remotePeerId)}";
    }

    public string DocId { get; }

    public string RemotePeerId { get; }

    public string OriginLabel { get; }

    /// <summary>Edits the peer sent that this device may not apply (a viewer's document); counted, not fatal.</summary>
    public int RefusedReadOnly { get; private set; }

    /// <summary>What y-webrtc sends on <c>connect</c>: sync step 1, then the awareness it knows.</summary>
    public IReadOnlyList<byte[]> Greeting()
    {
        var greeting = new List<byte[]>
        {
            YWebsocketMessage.ForSync(SyncMessage.Step1(_hub.Read(DocId, Y.EncodeStateVector))).Encode(),
        };
        if (_awareness.Current(DocId) is { } states)
        {
            greeting.Add(YWebsocketMessage.ForAwareness(states).Encode());
        }

        return greeting;
    }

    /// <summary>Handles one data channel message; returns the replies to send back on the same link.</summary>
    /// <exception cref="YProtocolFormatException">Not a y-webrtc message, or a sync payload the CRDT refuses.</exception>
    /// <exception cref="AwarenessFormatException">An awareness update that is malformed or over a limit.</exception>
    public IReadOnlyList<byte[]> Handle(ReadOnlySpan<byte> bytes)
    {
        var message = YWebsocketMessage.Decode(bytes);
        switch (message.Type)
        {
            case YWebsocketMessageType.Sync when message.Sync!.Type == SyncMessageType.SyncStep1:
                var diff = Guard(() => _hub.EncodeDiff(DocId, message.Sync.Payload));
                return [YWebsocketMessage.ForSync(SyncMessage.Step2(diff)).Encode()];
            case YWebsocketMessageType.Sync:
                try
                {
                    Guard(() => _hub.ApplyUpdate(DocId, message.Sync!.Payload, this));
                }
                catch (ReadOnlyDocumentException)
                {
                    // A viewer's copy: the browser keeps its edit locally, we keep ours; both go on syncing the rest.
                    RefusedReadOnly++;
                }

                return [];
            case YWebsocketMessageType.Awareness:
                _awareness.OnLocalUpdate(DocId, this, message.Awareness);
                return [];
            case YWebsocketMessageType.QueryAwareness:
                return [YWebsocketMessage.ForAwareness(_awareness.Current(DocId) ?? AwarenessUpdate.Encode([])).Encode()];
            default:
                // y-webrtc logs "Unable to compute message" for anything else (auth is y-websocket only).
                throw new YProtocolFormatException($"y-webrtc has no {message.Type} message");
        }
    }

    /// <summary>The peer is gone: the awareness states it brought are removed and everyone is told.</summary>
    public void Leave() => _awareness.OnLocalClosed(DocId, this);

    private static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (UpdateFormatException ex)
        {
            throw new YProtocolFormatException($"bad update or state vector: {ex.Message}", ex);
        }
    }
}
