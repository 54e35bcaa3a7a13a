using System.Net;

namespace P2PSync.Node.Tests.Transport.WebRtc.Ice;

/// <summary>A datagram on its way through <see cref="SimulatedIceNetwork"/>.</summary>
internal sealed record SimulatedDatagram(IPEndPoint From, IPEndPoint To, byte[] Data);
