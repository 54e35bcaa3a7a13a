using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>An owner's space with a second device added as editor, disposed together.</summary>
internal sealed record SharedPair(SpaceNode Alice, SpaceNode Bob, SpaceId Space) : IDisposable
{
    public void Dispose()
    {
        Alice.Dispose();
        Bob.Dispose();
    }
}
