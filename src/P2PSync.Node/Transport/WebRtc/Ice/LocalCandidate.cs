using System.Net;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>
/// One of our candidates and its base: the socket address datagrams for it are really sent from.
/// For a host candidate both are the same; a server-reflexive one shares its host socket's base.
/// </summary>
internal sealed record LocalCandidate(IceCandidate Candidate, IPEndPoint Base);
