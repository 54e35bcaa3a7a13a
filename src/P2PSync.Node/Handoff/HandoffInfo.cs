using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Handoff;

/// <summary>One handoff as the API and CLI list it.</summary>
/// <param name="Reason">Why it was declined or failed, else null.</param>
/// <param name="CreatedMs">Unix ms.</param>
/// <param name="UpdatedMs">Unix ms of the last state change or progress.</param>
internal sealed record HandoffInfo(
    string Id,
    HandoffDirection Direction,
    HandoffKind Kind,
    DeviceId Peer,
    HandoffState State,
    long BytesDone,
    long BytesTotal,
    string? Reason,
    long CreatedMs,
    long UpdatedMs)
{
    /// <summary>True once the handoff can no longer change.</summary>
    public bool IsFinished => State is HandoffState.Ready or HandoffState.HandedOff or HandoffState.Declined or HandoffState.Expired or HandoffState.Failed;
}
