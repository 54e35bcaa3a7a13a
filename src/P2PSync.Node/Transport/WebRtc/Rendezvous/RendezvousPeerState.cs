namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>What the node knows about the sender of a hello or an offer when it arrives.</summary>
/// <param name="MayConnect">Trusted, or a member of a space shared with us (the same rule as the TCP listener).</param>
/// <param name="Connected">A connection to it is up (any path).</param>
/// <param name="ConnectedOverWebRtc">That connection is a WebRTC one.</param>
/// <param name="HasSession">A rendezvous session with it is under way.</param>
/// <param name="HasThisSession">That session has the id of the message.</param>
internal readonly record struct RendezvousPeerState(bool MayConnect, bool Connected, bool ConnectedOverWebRtc, bool HasSession, bool HasThisSession);
