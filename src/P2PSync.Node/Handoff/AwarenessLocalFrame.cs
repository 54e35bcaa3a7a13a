namespace P2PSync.Node.Handoff;

/// <summary>
/// An awareness update for the websocket clients of one document (the bytes of a y-protocols
/// awareness update), to every client except <paramref name="Except"/> (its origin, or null).
/// </summary>
internal sealed record AwarenessLocalFrame(string DocId, byte[] Update, object? Except);
