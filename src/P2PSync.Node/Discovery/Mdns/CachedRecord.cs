using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// One record in the browser's cache, on one interface, with its clock: when it arrived, when
/// it expires, and when the next refresh query for it is due (RFC 6762 §5.2).
/// </summary>
internal sealed class CachedRecord(int interfaceIndex, DnsRecord record)
{
    public int InterfaceIndex { get; } = interfaceIndex;

    public DnsRecord Record { get; set; } = record;

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The cache's running count when this copy arrived: orders records heard at the same instant.</summary>
    public long HeardOrder { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The next refresh query, or null when all four went out or the record is on its way out.</summary>
    public DateTimeOffset? RefreshAt { get; set; }

    /// <summary>How many of the four refresh points (80, 85, 90, 95 %) have passed.</summary>
    public int RefreshesDone { get; set; }

    /// <summary>
    /// A goodbye (TTL 0) arrived: the record stays for its one-second grace (a correction can
    /// still rescue it, §10.1) but no longer counts as present.
    /// </summary>
    public bool SaidGoodbye { get; set; }

    /// <summary>Seconds of TTL left at <paramref name="now"/>.</summary>
    public double RemainingSeconds(DateTimeOffset now) => Math.Max(0, (ExpiresAt - now).TotalSeconds);
}
