namespace P2PSync.Protocol.YProtocols;

/// <summary>The y-protocols sync message types (y-protocols/sync.js).</summary>
public enum SyncMessageType
{
    /// <summary>messageYjsSyncStep1: the sender's state vector; answer with SyncStep2.</summary>
    SyncStep1 = 0,

    /// <summary>messageYjsSyncStep2: the update the receiver lacks (v1), computed from its SyncStep1.</summary>
    SyncStep2 = 1,

    /// <summary>messageYjsUpdate: a live update (v1).</summary>
    Update = 2,
}
