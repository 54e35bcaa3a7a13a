namespace P2PSync.Interop.Tests.Mdns;

/// <summary>
/// Namespace tests run one class at a time, and not alongside the loopback node-process tests:
/// each starts daemons and nodes, the machine has 2 cores, and mDNS timing is what they check.
/// </summary>
[CollectionDefinition("mdns namespaces", DisableParallelization = true)]
public sealed class MdnsCollection
{
}
