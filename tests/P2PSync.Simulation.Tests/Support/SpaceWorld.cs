using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Node.Transport.InMemory;

namespace P2PSync.Simulation.Tests.Support;

/// <summary>
/// A few devices with seeded keys and spaces set up between them as if they had synced before
/// (each member holds the owner's current log and its keys), for protocol tests that start from
/// a known membership.
/// </summary>
internal sealed class SpaceWorld : IDisposable
{
    private readonly List<SimDevice> _devices = [];

    public SpaceWorld(int seed, params string[] names)
    {
        var random = new Random(seed);
        foreach (var name in names)
        {
            var seedBytes = new byte[DeviceKey.SeedLength];
            random.NextBytes(seedBytes);
            _devices.Add(new SimDevice(name, DeviceKey.FromSeed(seedBytes), new Random(random.Next()), Time));
        }
    }

    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public IReadOnlyList<SimDevice> Devices => _devices;

    public SimDevice this[int index] => _devices[index];

    /// <summary>
    /// A space created by <paramref name="owner"/> with <paramref name="members"/> added in order,
    /// handed to every member (their own copies of the log and keys).
    /// </summary>
    public SpaceId NewSpace(SimDevice owner, string name, params (SimDevice Device, SpaceRole Role)[] members)
    {
        var space = owner.Spaces.Create(name, NowMs, []);
        foreach (var (device, role) in members)
        {
            owner.Spaces.AddMember(space, device.Id, role);
        }

        HandOut(owner, space);
        return space;
    }

    /// <summary>Gives every current member of the space <paramref name="from"/>'s view of it.</summary>
    public void HandOut(SimDevice from, SpaceId space)
    {
        foreach (var device in _devices)
        {
            if (device != from && from.Spaces.IsMember(space, device.Id))
            {
                var outcome = device.Spaces.ApplyState(from.Spaces.DescribeFor(space, device.Id), from.Id);
                if (outcome.Kind == SpaceStateOutcomeKind.Refused)
                {
                    throw new InvalidOperationException($"{device} refused {from}'s state: {outcome.Reason}");
                }
            }
        }
    }

    public void Dispose()
    {
        foreach (var device in _devices)
        {
            device.Dispose();
        }
    }
}
