namespace P2PSync.Node.Transport.WebRtc.Peer;

/// <summary>
/// A peer connection could not be set up or was refused: a description we cannot use, a call in the
/// wrong state, or a layer (named by <see cref="Layer"/>) that failed or did not finish in time.
/// </summary>
internal sealed class PeerConnectionException : Exception
{
    public PeerConnectionException(string message, WebRtcLayer? layer = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Layer = layer;
    }

    /// <summary>The layer at fault (ICE, DTLS, SCTP, SDP), or null for a call in the wrong state.</summary>
    public WebRtcLayer? Layer { get; }
}
