using System.Net;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>
/// One ICE candidate as the a=candidate line carries it (RFC 8839 §5.1): the one model shared by the
/// ICE agent, SDP descriptions and trickled candidates; <see cref="IceCandidateLine"/> reads and writes it.
/// <see cref="Address"/> stays text because a browser may hide its IP behind "&lt;uuid&gt;.local";
/// <see cref="EndPoint"/> is null for such names. Extensions we do not act on (generation,
/// network-cost, ufrag, tcptype) are kept as pairs, in order, so a line round-trips verbatim.
/// </summary>
/// <param name="Foundation">1 to 32 ice-chars.</param>
/// <param name="Component">1 for data (rtcp-mux is moot).</param>
/// <param name="Protocol">The transport, lower-case ("udp", "tcp"); the parser folds case because RFC 8839 compares it case-insensitively.</param>
/// <param name="Priority">1 to 2^32-1.</param>
/// <param name="Address">IPv4, IPv6 (with an optional %zone) or a host name such as Chromium's uuid.local.</param>
/// <param name="Port">0 to 65535.</param>
/// <param name="Type">host, srflx, prflx or relay.</param>
/// <param name="RelatedAddress">raddr; the grammar only allows it together with <paramref name="RelatedPort"/>.</param>
/// <param name="RelatedPort">rport.</param>
internal sealed record IceCandidate(
    string Foundation,
    int Component,
    string Protocol,
    uint Priority,
    string Address,
    int Port,
    IceCandidateType Type,
    string? RelatedAddress = null,
    int? RelatedPort = null)
{
    public IReadOnlyList<KeyValuePair<string, string>> Extensions { get; init; } = [];

    public bool IsUdp => Protocol.Equals("udp", StringComparison.OrdinalIgnoreCase);

    /// <summary>The address and port, or null when the address is a hostname such as an mDNS name.</summary>
    public IPEndPoint? EndPoint => IPAddress.TryParse(Address, out IPAddress? ip) ? new IPEndPoint(ip, Port) : null;

    /// <summary>The value of the <c>ufrag</c> extension (werift and trickle use it to name the ICE generation), if any.</summary>
    public string? UsernameFragment => Extensions.FirstOrDefault(e => e.Key == "ufrag").Value;

    // A record compares a list by reference; two parses of the same line must be equal, so compare the pairs.
    public bool Equals(IceCandidate? other) =>
        other is not null
        && Foundation == other.Foundation
        && Component == other.Component
        && Protocol == other.Protocol
        && Priority == other.Priority
        && Address == other.Address
        && Port == other.Port
        && Type == other.Type
        && RelatedAddress == other.RelatedAddress
        && RelatedPort == other.RelatedPort
        && Extensions.SequenceEqual(other.Extensions);

    public override int GetHashCode() => HashCode.Combine(Foundation, Address, Port, Priority, Type);
}
