namespace P2PSync.Node.Handoff;

/// <summary>Where an awareness state came from (see <see cref="AwarenessOrigin"/>).</summary>
internal enum AwarenessOriginKind
{
    /// <summary>This device's own state (published by <see cref="DevicePresencePublisher"/>).</summary>
    Self,

    /// <summary>A websocket client of the local API.</summary>
    Local,

    /// <summary>A connected trusted peer (which may have relayed it from further away).</summary>
    Peer,
}
