using System.Net;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>One UDP datagram received on the mDNS port: its bytes, who sent it, and the interface it arrived on.</summary>
internal sealed record MdnsDatagram(byte[] Payload, IPEndPoint Source, int InterfaceIndex);
