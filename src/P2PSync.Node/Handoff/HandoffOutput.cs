using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Handoff;

/// <summary>What one call into the <see cref="HandoffEngine"/> wants done: envelopes to send (in order) and events to publish.</summary>
internal sealed record HandoffOutput(IReadOnlyList<(DeviceId To, Envelope Envelope)> Send, IReadOnlyList<HandoffEvent> Events)
{
    /// <summary>Nothing to send, nothing happened.</summary>
    public static HandoffOutput None { get; } = new([], []);
}
