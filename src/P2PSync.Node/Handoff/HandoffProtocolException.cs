namespace P2PSync.Node.Handoff;

/// <summary>
/// A peer sent a presence or handoff message a well-behaved peer cannot send (a Begin or Chunk
/// for an unknown handoff, chunks out of order, a malformed activity or update, ...). Thrown by
/// <see cref="HandoffEngine.OnEnvelope"/>; documents already applied stay as they are, a
/// transfer in progress is failed (its event comes with the next output), and the host must
/// close that connection.
/// </summary>
internal sealed class HandoffProtocolException : Exception
{
    public HandoffProtocolException(string message) : base(message) { }

    public HandoffProtocolException(string message, Exception inner) : base(message, inner) { }
}
