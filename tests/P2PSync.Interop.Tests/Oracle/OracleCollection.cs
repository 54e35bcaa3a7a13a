namespace P2PSync.Interop.Tests.Oracle;

/// <summary>All tests that talk to yjs share one oracle process (and therefore run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class OracleCollection : ICollectionFixture<YjsOracle>
{
    public const string Name = "yjs oracle";
}
