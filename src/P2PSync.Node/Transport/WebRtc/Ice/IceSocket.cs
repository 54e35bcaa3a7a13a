using System.Net;
using System.Net.Sockets;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>One bound UDP socket and the address it is bound to: the base of its candidates.</summary>
internal sealed record IceSocket(Socket Socket, IPEndPoint Base);
