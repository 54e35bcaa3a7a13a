using System.Net;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// One network interface as the host reports it to the engines: its OS index (the key for
/// everything per interface), a name for logs, and its unicast addresses. The responder
/// publishes exactly these addresses on this interface (RFC 6762 §6.2: answers carry the
/// addresses of the interface the question came in on).
/// </summary>
internal sealed record MdnsInterface(int Index, string Name, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>Value equality over the address list too, so "changed addresses" is a plain comparison.</summary>
    public bool Equals(MdnsInterface? other) =>
        other is not null
        && Index == other.Index
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && Addresses.SequenceEqual(other.Addresses);

    public override int GetHashCode() => HashCode.Combine(Index, Name, Addresses.Count);
}
