namespace P2PSync.Node.Sync;

/// <summary>Versions of the node-to-node sync protocol (Hello.protocol_version).</summary>
internal static class SyncProtocolVersion
{
    /// <summary>
    /// The version this code speaks: signed records in spaces (docs/protocol/spaces-sync.md).
    /// Version 1 (unsigned Yjs updates in SyncFrames) is refused: its content carries no author
    /// and no space, so a version-2 node could not check it.
    /// </summary>
    public const uint Current = 2;
}
