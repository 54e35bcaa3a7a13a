namespace P2PSync.Node.Sync;

/// <summary>Versions of the node-to-node sync protocol (Hello.protocol_version).</summary>
internal static class SyncProtocolVersion
{
    /// <summary>The version this code speaks: proto/p2psync.proto as documented in docs/protocol/node-sync.md.</summary>
    public const uint Current = 1;
}
