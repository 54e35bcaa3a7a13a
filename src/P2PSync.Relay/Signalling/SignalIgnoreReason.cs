namespace P2PSync.Relay.Signalling;

/// <summary>
/// Why a /signal message was dropped. y-webrtc's server drops these silently (or, for some, crashes
/// on them); we drop them silently too, so clients see the reference behaviour, but count each
/// reason in /metrics (relay_rejects_total{source="signal"}) so an operator can see hostile traffic.
/// </summary>
internal enum SignalIgnoreReason
{
    None,

    /// <summary>Not JSON text.</summary>
    MalformedJson,

    /// <summary>Not UTF-8 (JSON text must be).</summary>
    InvalidUtf8,

    /// <summary>A string escape that leaves half a surrogate pair, e.g. "\ud800".</summary>
    LoneSurrogate,

    /// <summary>Valid JSON, but not an object.</summary>
    NotAnObject,

    /// <summary>No "type", or a "type" that is not a non-empty string.</summary>
    MissingType,

    /// <summary>A "type" other than subscribe, unsubscribe, publish and ping.</summary>
    UnknownType,

    /// <summary>A subscribe/unsubscribe whose "topics" is present but not an array.</summary>
    TopicsNotAnArray,

    /// <summary>A publish without a non-empty string "topic".</summary>
    MissingTopic,
}
