using System.Net;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>A network interface as the OS describes it, before <see cref="InterfaceSelection"/> decides whether mDNS runs on it.</summary>
internal sealed record InterfaceCandidate(int Index, string Name, bool IsUp, bool IsLoopback, bool SupportsMulticast, IReadOnlyList<IPAddress> Addresses);
