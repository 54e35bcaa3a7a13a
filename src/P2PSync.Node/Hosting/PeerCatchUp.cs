namespace P2PSync.Node.Hosting;

/// <summary>
/// How the latest connection to a peer got going: connecting plus the Noise handshake, then the
/// time from the connection being up until this node had applied (local apps see it) and until
/// it had stored durably everything the peer had when it connected.
/// </summary>
/// <param name="Documents">Documents this node held once caught up.</param>
internal sealed record PeerCatchUp(TimeSpan Connect, TimeSpan CaughtUp, TimeSpan Durable, int Documents);
