namespace P2PSync.Node.Hosting;

/// <summary>
/// How the latest connection to a peer got going: connecting plus the Noise handshake, and the
/// time from then until this node held (durably) everything the peer had when it connected.
/// </summary>
/// <param name="Documents">Documents covered by the catch-up.</param>
internal sealed record PeerCatchUp(TimeSpan Connect, TimeSpan CaughtUp, int Documents);
