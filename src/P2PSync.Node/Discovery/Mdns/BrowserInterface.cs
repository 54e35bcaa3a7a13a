namespace P2PSync.Node.Discovery.Mdns;

/// <summary>The browser's state for one interface: where to send and when the next continuous query is due.</summary>
internal sealed class BrowserInterface(MdnsInterface nic)
{
    public MdnsInterface Nic { get; set; } = nic;

    public IReadOnlyList<MdnsLink> Links { get; set; } = MdnsLink.Of(nic);

    /// <summary>The next query for the service type; null before the browser starts.</summary>
    public DateTimeOffset? NextQueryAt { get; set; }

    /// <summary>The gap after the next query: 1 s, doubling up to an hour (RFC 6762 §5.2).</summary>
    public TimeSpan Interval { get; set; } = MdnsTiming.QueryInitialInterval;
}
