using P2PSync.Node.Handoff;
using P2PSync.Node.Transport.InMemory;
using P2PSync.Protocol.Identity;

namespace P2PSync.Simulation.Tests.Handoff;

/// <summary>One simulated device: its documents, activity and handoff engine, and the events it reported.</summary>
internal sealed class HandoffSimNode
{
    public HandoffSimNode(string name, DeviceId id, Random random, ManualTimeProvider time, HandoffOptions options)
    {
        Name = name;
        Id = id;
        Documents = new MemoryHandoffDocuments(random);
        Activity = new ActivityStore(time);
        var ids = 0;
        // Ids unique per node (the name) and predictable (a counter), like a seeded generator.
        Engine = new HandoffEngine(id, Documents, Activity, time, () => $"{name}-{++ids}", options);
    }

    public string Name { get; }

    public DeviceId Id { get; }

    public MemoryHandoffDocuments Documents { get; }

    public ActivityStore Activity { get; }

    public HandoffEngine Engine { get; }

    public List<HandoffEvent> Events { get; } = [];

    public HandoffInfo Handoff(string id) => Engine.Handoffs.Single(h => h.Id == id);

    public override string ToString() => Name;
}
