namespace P2PSync.Protocol.Wire;

/// <summary>
/// An envelope from a peer is not valid protobuf, or carries a field our protocol forbids
/// (a bad document id or name, a negative time, a sync payload that is not a y-protocols sync
/// message). The connection that sent it cannot be trusted to be in step with us any more.
/// </summary>
public sealed class WireFormatException : Exception
{
    public WireFormatException(string message) : base(message) { }

    public WireFormatException(string message, Exception inner) : base(message, inner) { }
}
