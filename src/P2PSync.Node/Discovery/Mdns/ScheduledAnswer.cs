using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// One answer waiting to be multicast on one link, with the additional records that travel
/// with it: answers from shared sets wait 20-120 ms (RFC 6762 §6), and any record multicast
/// less than a second ago waits until the second is up. Answers due together go out in one message.
/// </summary>
/// <param name="ProbeDefence">Answering a probe for our name: the rate limit is 250 ms instead of 1 s.</param>
internal sealed record ScheduledAnswer(MdnsLink Link, DateTimeOffset DueAt, DnsRecord Record, IReadOnlyList<DnsRecord> Additionals, bool ProbeDefence)
{
    public RecordKey Key => RecordKey.Of(Record);
}
