using System.Net;
using P2PSync.Node.Discovery.Mdns;
using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Tests.Discovery.Mdns;

/// <summary>One packet as it was put on the in-memory wire: when, by whom, from where, to where, and its content as decoded from the encoded bytes.</summary>
internal sealed record WirePacket(DateTimeOffset At, string Sender, IPEndPoint Source, MdnsDestination Destination, DnsMessage Message);
