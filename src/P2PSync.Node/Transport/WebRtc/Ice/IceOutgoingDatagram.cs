using System.Net;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>A datagram the agent wants sent from the socket bound to <paramref name="LocalBase"/> to <paramref name="Remote"/>.</summary>
internal readonly record struct IceOutgoingDatagram(IPEndPoint LocalBase, IPEndPoint Remote, byte[] Data);
