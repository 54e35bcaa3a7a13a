using P2PSync.Node.Discovery;
using P2PSync.Node.Discovery.Mdns;

namespace P2PSync.Node.Hosting;

/// <summary>Settings a node starts with.</summary>
internal sealed class NodeOptions
{
    /// <summary>Directory holding the store, the device key and api.json. Created if missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>TCP port for peers (0 = any free port); null = do not listen, only dial.</summary>
    public int? ListenPort { get; init; }

    /// <summary>Port of the local API on 127.0.0.1 (0 = any free port); null = no API.</summary>
    public int? ApiPort { get; init; }

    /// <summary>Name this device tells its peers (Hello.device_name).</summary>
    public string DeviceName { get; init; } = Environment.MachineName;

    /// <summary>
    /// LAN discovery over mDNS/DNS-SD; null = off. Off unless asked for (`up` turns it on unless
    /// --no-mdns), so a node built by a test never multicasts on the host's network.
    /// </summary>
    public MdnsSettings? Mdns { get; init; }

    /// <summary>
    /// A peer finder to use instead of mDNS (tests drive one by hand; the relay rendezvous will
    /// be another). When set, <see cref="Mdns"/> is ignored. The node does not dispose it.
    /// </summary>
    public IPeerFinder? Finder { get; init; }

    /// <summary>A relay whose mailbox is the fallback path to members that are not connected directly (null = none).</summary>
    public Uri? Relay { get; init; }

    /// <summary>
    /// WebRTC to members that are not connected directly, through the relay's signalling (only with
    /// a relay); null = off. Off unless asked for (`up` turns it on unless --no-webrtc), so a node
    /// built by a test never opens sockets on the host's interfaces.
    /// </summary>
    public WebRtcNodeOptions? WebRtc { get; init; }

    /// <summary>Handoff tunables (offer timeout, chunk size, limits).</summary>
    public Handoff.HandoffOptions Handoff { get; init; } = new();
}
