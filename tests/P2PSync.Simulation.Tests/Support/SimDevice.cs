using P2PSync.Node.Identity;
using P2PSync.Protocol.Identity;

namespace P2PSync.Simulation.Tests.Support;

/// <summary>One device for focused protocol tests: a real key, its spaces and its documents, no network.</summary>
internal sealed class SimDevice : IDisposable
{
    public SimDevice(string name, DeviceKey key, Random random, TimeProvider time)
    {
        Name = name;
        Key = key;
        Spaces = new MemorySpaceSource(key, time);
        Source = new MemoryDocumentSource(random, key, Spaces);
    }

    public string Name { get; }

    public DeviceKey Key { get; }

    public DeviceId Id => Key.Id;

    public MemorySpaceSource Spaces { get; }

    public MemoryDocumentSource Source { get; }

    public void Dispose()
    {
        Spaces.Dispose();
        Key.Dispose();
    }

    public override string ToString() => Name;
}
