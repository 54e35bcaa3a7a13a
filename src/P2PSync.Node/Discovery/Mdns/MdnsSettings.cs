namespace P2PSync.Node.Discovery.Mdns;

/// <summary>How a node runs mDNS (see <see cref="Hosting.NodeOptions.Mdns"/>).</summary>
internal sealed record MdnsSettings
{
    /// <summary>The UDP port: 5353 on a real LAN; only isolated test setups use another.</summary>
    public int Port { get; init; } = MdnsNames.Port;

    /// <summary>Run on loopback when it is the only interface up (a host with no network still finds its own other nodes).</summary>
    public bool AllowLoopback { get; init; } = true;
}
