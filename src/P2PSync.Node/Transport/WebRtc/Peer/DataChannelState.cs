namespace P2PSync.Node.Transport.WebRtc.Peer;

/// <summary>The life of a <see cref="DataChannel"/>, as the browser's readyState.</summary>
internal enum DataChannelState
{
    /// <summary>Created; the SCTP association is not up yet.</summary>
    Connecting,

    /// <summary>Messages flow both ways.</summary>
    Open,

    /// <summary>A close has begun on either side; no more sends, late messages are still delivered.</summary>
    Closing,

    /// <summary>Both halves of the stream are reset, or the connection ended.</summary>
    Closed,
}
