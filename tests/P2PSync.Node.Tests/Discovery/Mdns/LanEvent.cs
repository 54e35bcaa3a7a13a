using P2PSync.Node.Discovery.Mdns;

namespace P2PSync.Node.Tests.Discovery.Mdns;

/// <summary>A browser event seen on the in-memory LAN, with the LAN clock's time.</summary>
internal sealed record LanEvent(DateTimeOffset At, string Kind, DiscoveredService Service);
