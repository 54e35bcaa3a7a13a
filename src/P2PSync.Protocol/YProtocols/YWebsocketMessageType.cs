namespace P2PSync.Protocol.YProtocols;

/// <summary>The outer message types of y-websocket 3.0 (src/y-websocket.js).</summary>
public enum YWebsocketMessageType
{
    /// <summary>messageSync: a y-protocols sync message follows.</summary>
    Sync = 0,

    /// <summary>messageAwareness: a length-prefixed awareness update follows.</summary>
    Awareness = 1,

    /// <summary>messageAuth: an auth message follows (only "permission denied", 0 + reason).</summary>
    Auth = 2,

    /// <summary>messageQueryAwareness: nothing follows; answer with every known awareness state.</summary>
    QueryAwareness = 3,
}
