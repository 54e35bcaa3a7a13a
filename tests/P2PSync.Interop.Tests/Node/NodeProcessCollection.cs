namespace P2PSync.Interop.Tests.Node;

/// <summary>Process tests run one class at a time: each starts several nodes and the machine has 2 cores.</summary>
[CollectionDefinition("node processes", DisableParallelization = true)]
public sealed class NodeProcessCollection
{
}
