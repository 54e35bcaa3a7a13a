using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;
using P2PSync.Protocol.Wire;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>One device for directory tests: its key, its clock and its spaces, and "receive what that device describes to me".</summary>
internal sealed class SpaceNode : IDisposable
{
    public SpaceNode()
    {
        Key = DeviceKey.Generate();
        Time = new ManualTimeProvider();
        Spaces = new SpaceDirectory(Time);
    }

    public DeviceKey Key { get; }

    public DeviceId Id => Key.Id;

    public ManualTimeProvider Time { get; }

    public SpaceDirectory Spaces { get; }

    /// <summary>What a sync session does when <paramref name="sender"/> sends this device the state of <paramref name="space"/>.</summary>
    public SpaceStateOutcome Receive(SpaceNode sender, SpaceId space)
        => Spaces.ApplyState(sender.Spaces.DescribeFor(space, Id), sender.Id, Key);

    public SpaceStateOutcome Receive(SpaceState state, DeviceId from) => Spaces.ApplyState(state, from, Key);

    /// <summary>A new shared (not personal) space with no other owners.</summary>
    public SpaceId CreateSpace(string name = "project")
    {
        var change = Spaces.Create(name, Key, 1_000, personal: false, []);
        change.NewKey?.Dispose();
        return change.Space.Id;
    }

    /// <summary>The key bytes this device holds for an epoch, or null.</summary>
    public byte[]? KeyBytes(SpaceId space, ulong epoch)
        => Spaces.Find(space) is { } held && held.Keys.TryGet(epoch, out var key) ? key.Bytes.ToArray() : null;

    public void Dispose()
    {
        Spaces.Dispose();
        Key.Dispose();
    }
}
