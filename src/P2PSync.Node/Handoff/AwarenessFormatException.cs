namespace P2PSync.Node.Handoff;

/// <summary>
/// An awareness update (from a peer's AwarenessFrame or a websocket client) is malformed, names
/// a bad document id, carries numbers a JavaScript peer cannot read, or breaks a limit of
/// <see cref="AwarenessHub"/>. Nothing was changed.
/// </summary>
internal sealed class AwarenessFormatException : FormatException
{
    public AwarenessFormatException(string message) : base(message) { }

    public AwarenessFormatException(string message, Exception inner) : base(message, inner) { }
}
