namespace P2PSync.Node.Transport.WebRtc.Signalling;

/// <summary>What a <see cref="SignallingClient"/> counted so far (snapshot).</summary>
/// <param name="Connections">WebSocket connections opened (the first plus every reconnect).</param>
/// <param name="MalformedFrames">Frames skipped: not UTF-8 JSON, not an object, a publish without a string topic, too big.</param>
/// <param name="DroppedReceived">Publishes dropped because nobody read them in time.</param>
/// <param name="Received">Publishes handed to the reader queue.</param>
/// <param name="Sent">Frames written to the relay.</param>
internal readonly record struct SignallingCounters(long Connections, long MalformedFrames, long DroppedReceived, long Received, long Sent);
