namespace P2PSync.Node.Handoff;

/// <summary>
/// A handoff command cannot be carried out: an unknown handoff id, a handoff in the wrong state,
/// a device that is not connected, or no activity to offer. Nothing was changed or sent.
/// </summary>
internal sealed class HandoffException : Exception
{
    public HandoffException(string message) : base(message) { }
}
