namespace P2PSync.Crdt;

/// <summary>
/// Thrown when an update, state vector, delete set or any other Yjs-encoded
/// input is malformed, truncated or hostile. Whenever this is thrown from a
/// public entry point the target document is left exactly as it was.
/// </summary>
public sealed class UpdateFormatException : Exception
{
    public UpdateFormatException(string message) : base(message) { }

    public UpdateFormatException(string message, Exception inner) : base(message, inner) { }
}
