namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>Whether a peer's DATA_CHANNEL_OPEN may create a channel on the stream it came on (RFC 8832 §6).</summary>
internal enum IncomingOpenVerdict
{
    /// <summary>The stream is free: create the channel and send the ACK.</summary>
    Accepted,

    /// <summary>A channel already uses the stream: a protocol error, reset the stream.</summary>
    InUse,

    /// <summary>The stream's previous channel is still being reset in one direction: refuse with a reset.</summary>
    StillResetting,

    /// <summary>Beyond the negotiated stream count, or 65535 (reserved by RFC 8831 §6.5).</summary>
    OutOfRange,
}
