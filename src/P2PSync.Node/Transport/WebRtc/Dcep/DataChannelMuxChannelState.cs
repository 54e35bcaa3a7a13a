namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>Where one channel of a <see cref="DataChannelMux"/> is in its life (RFC 8831 §6.6, §6.7).</summary>
internal enum DataChannelMuxChannelState
{
    /// <summary>Usable: sends are accepted (before our OPEN is acknowledged they travel ordered, RFC 8832 §6).</summary>
    Open,

    /// <summary>One half of the stream reset is done or under way; no more sends, late messages still delivered.</summary>
    Closing,

    /// <summary>Both halves reset (or the association ended); the stream id is free again.</summary>
    Closed,
}
