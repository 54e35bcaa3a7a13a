namespace P2PSync.Node.Transport.WebRtc.Signalling;

/// <summary>What one frame from the relay's /signal turned out to be.</summary>
internal enum SignalFrameKind
{
    /// <summary>{"type":"publish","topic":..., "data":..., "clients":N}: handed to the reader.</summary>
    Publish,

    /// <summary>{"type":"pong"}: the answer to our ping (liveness and round trip).</summary>
    Pong,

    /// <summary>A well-formed object of another type (the protocol may grow): skipped quietly.</summary>
    Other,

    /// <summary>Not what the protocol allows: skipped and counted.</summary>
    Malformed,
}
