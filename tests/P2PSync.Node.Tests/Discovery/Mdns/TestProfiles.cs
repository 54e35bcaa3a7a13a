using P2PSync.Node.Discovery.Mdns;

namespace P2PSync.Node.Tests.Discovery.Mdns;

/// <summary>Service profiles shaped like the node's (TXT txtvers, id, proto).</summary>
internal static class TestProfiles
{
    public static ServiceProfile Node(string instance, string deviceId, ushort port) =>
        new(instance, $"p2psync-{deviceId[..10].ToLowerInvariant()}", port, new Dictionary<string, string>
        {
            ["txtvers"] = "1",
            ["id"] = deviceId,
            ["proto"] = "1",
        });
}
