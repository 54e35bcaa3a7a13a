using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Handoff;

/// <summary>Collects what one engine call sends and reports, then freezes it into a <see cref="HandoffOutput"/>.</summary>
internal sealed class HandoffOutputBuilder
{
    private readonly List<(DeviceId To, Envelope Envelope)> _send = [];
    private readonly List<HandoffEvent> _events = [];

    public void Send(DeviceId to, Envelope envelope) => _send.Add((to, envelope));

    public void Event(HandoffEvent handoffEvent) => _events.Add(handoffEvent);

    public void Events(IEnumerable<HandoffEvent> events) => _events.AddRange(events);

    public HandoffOutput Build() => _send.Count == 0 && _events.Count == 0 ? HandoffOutput.None : new HandoffOutput(_send.ToArray(), _events.ToArray());
}
