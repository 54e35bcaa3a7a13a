namespace P2PSync.Relay.Signalling;

/// <summary>What a client's /signal message asks for.</summary>
internal enum SignalRequestKind
{
    Subscribe,
    Unsubscribe,
    Publish,
    Ping,

    /// <summary>Not a request the protocol knows; dropped without an answer, as y-webrtc's server does, and counted.</summary>
    Ignored,
}
