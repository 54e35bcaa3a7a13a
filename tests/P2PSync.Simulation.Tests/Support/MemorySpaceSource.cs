using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Sync;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Simulation.Tests.Support;

/// <summary>
/// A simulated node's spaces: the real <see cref="SpaceDirectory"/> (the node's own rules for
/// logs, roles and keys) without the store. Local space changes go through the helpers here so
/// that tests read like the CLI: create, add, change a role, remove.
/// </summary>
internal sealed class MemorySpaceSource : ISpaceSource, IDisposable
{
    public MemorySpaceSource(DeviceKey self, TimeProvider time)
    {
        Self = self;
        Directory = new SpaceDirectory(time);
    }

    public DeviceKey Self { get; }

    public SpaceDirectory Directory { get; }

    /// <summary>Every space state this node refused or applied only in part, for assertions.</summary>
    public List<SpaceStateOutcome> Outcomes { get; } = [];

    public IReadOnlyList<SpaceId> SharedWith(DeviceId peer)
    {
        var shared = new List<SpaceId>();
        foreach (var space in Directory.All)
        {
            // Only spaces this node is still in: a removed device has nothing to tell of them.
            if (space.Log.RoleOf(Self.Id) is not null && space.Log.RoleOf(peer) is not null)
            {
                shared.Add(space.Id);
            }
        }

        return shared;
    }

    public bool IsMember(SpaceId space, DeviceId device) => Directory.IsMember(space, device);

    public SpaceState DescribeFor(SpaceId space, DeviceId peer) => Directory.DescribeFor(space, peer);

    public SpaceStateOutcome ApplyState(SpaceState state, DeviceId from)
    {
        var outcome = Directory.ApplyState(state, from, Self);

        // The ring keeps its own copies; these are the ones a node would protect and store.
        foreach (var key in outcome.NewKeys)
        {
            key.Dispose();
        }

        if (outcome.Kind == SpaceStateOutcomeKind.Refused || outcome.Notes.Count > 0)
        {
            Outcomes.Add(outcome);
        }

        return outcome;
    }

    /// <summary>A new space with this node as owner and <paramref name="alsoOwners"/> as owners too.</summary>
    public SpaceId Create(string name, long nowMs, IEnumerable<DeviceId> alsoOwners, bool personal = false) =>
        Consume(Directory.Create(name, Self, nowMs, personal, alsoOwners));

    public void AddMember(SpaceId space, DeviceId device, SpaceRole role) =>
        Consume(Directory.AddMember(space, device, role, Self));

    public void ChangeRole(SpaceId space, DeviceId device, SpaceRole role) =>
        Consume(Directory.ChangeRole(space, device, role, Self));

    /// <summary>RemoveMember + RotateKey with a fresh key.</summary>
    public void Remove(SpaceId space, DeviceId device) =>
        Consume(Directory.Remove(space, device, Self));

    public void Dispose() => Directory.Dispose();

    private static SpaceId Consume(SpaceChange change)
    {
        change.NewKey?.Dispose();
        return change.Space.Id;
    }
}
