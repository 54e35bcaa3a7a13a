namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// A question the browser keeps asking because an instance it knows lacks a record (SRV, TXT,
/// or any address for its host): first within 20-120 ms, then 1 s, 2 s, 4 s ... up to a minute.
/// </summary>
internal sealed class ResolveQuestion(DateTimeOffset nextAt)
{
    public DateTimeOffset NextAt { get; set; } = nextAt;

    public TimeSpan Interval { get; set; } = MdnsTiming.QueryInitialInterval;
}
