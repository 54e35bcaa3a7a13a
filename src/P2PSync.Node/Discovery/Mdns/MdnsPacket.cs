using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>A message an engine wants sent, and where to. The host encodes it (splitting when too big) and sends it.</summary>
internal sealed record MdnsPacket(DnsMessage Message, MdnsDestination Destination);
