namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// The timing rules of RFC 6762 the engines follow, in one place so the docs
/// (docs/protocol/mdns.md, "Timing") and the code cannot drift apart.
/// </summary>
internal static class MdnsTiming
{
    /// <summary>Random wait before the first probe, so hosts powered on together do not probe in lock step (§8.1).</summary>
    public static readonly TimeSpan ProbeStartMaxDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>Gap between probes, and the silence after the last one that makes a name ours (§8.1).</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Probes sent before a name is considered unique (§8.1).</summary>
    public const int ProbeCount = 3;

    /// <summary>After losing a simultaneous-probe tie-break, wait this long and probe again (§8.2).</summary>
    public static readonly TimeSpan TieBreakBackoff = TimeSpan.FromSeconds(1);

    /// <summary>More than this many conflicts within <see cref="ConflictWindow"/> slows probing down (§8.1).</summary>
    public const int ConflictBurst = 15;

    public static readonly TimeSpan ConflictWindow = TimeSpan.FromSeconds(10);

    /// <summary>The wait before each probe series once <see cref="ConflictBurst"/> is reached (§8.1).</summary>
    public static readonly TimeSpan ConflictThrottle = TimeSpan.FromSeconds(5);

    /// <summary>Unsolicited announcements after probing, this far apart (§8.3).</summary>
    public const int AnnouncementCount = 2;

    public static readonly TimeSpan AnnouncementInterval = TimeSpan.FromSeconds(1);

    /// <summary>Random delay range of answers from shared record sets, to avoid collisions with other responders (§6).</summary>
    public static readonly TimeSpan SharedAnswerMinDelay = TimeSpan.FromMilliseconds(20);

    public static readonly TimeSpan SharedAnswerMaxDelay = TimeSpan.FromMilliseconds(120);

    /// <summary>Delay range when the query had TC set: more known answers are on their way (§7.2).</summary>
    public static readonly TimeSpan TruncatedQueryMinDelay = TimeSpan.FromMilliseconds(400);

    public static readonly TimeSpan TruncatedQueryMaxDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>A record is multicast at most once per second per interface (§6)...</summary>
    public static readonly TimeSpan MulticastRecordMinInterval = TimeSpan.FromSeconds(1);

    /// <summary>...except in defence of a probed name, where a quarter second is enough (§6).</summary>
    public static readonly TimeSpan ProbeDefenceMinInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>TTL cap of legacy unicast answers (§6.7).</summary>
    public const uint LegacyUnicastMaxTtl = 10;

    /// <summary>TTL of records about a host: SRV, A, AAAA (§10).</summary>
    public const uint HostRecordTtl = 120;

    /// <summary>TTL of the other records: PTR, TXT (§10).</summary>
    public const uint OtherRecordTtl = 4500;

    /// <summary>The browser's first query goes out this long after start (§5.2).</summary>
    public static readonly TimeSpan FirstQueryMinDelay = TimeSpan.FromMilliseconds(20);

    public static readonly TimeSpan FirstQueryMaxDelay = TimeSpan.FromMilliseconds(120);

    /// <summary>Continuous querying: the gap starts at one second and doubles up to an hour (§5.2).</summary>
    public static readonly TimeSpan QueryInitialInterval = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan QueryMaxInterval = TimeSpan.FromMinutes(60);

    /// <summary>Questions for missing SRV/TXT/addresses back off the same way, capped lower: they concern one instance.</summary>
    public static readonly TimeSpan ResolveMaxInterval = TimeSpan.FromMinutes(1);

    /// <summary>Cache refresh queries at these fractions of a record's TTL, each plus up to <see cref="RefreshJitter"/> (§5.2).</summary>
    public static ReadOnlySpan<double> RefreshPoints => [0.80, 0.85, 0.90, 0.95];

    public const double RefreshJitter = 0.02;

    /// <summary>A goodbye (TTL 0) or a cache-flush leaves a record this long before it goes (§10.1, §10.2).</summary>
    public static readonly TimeSpan ExpiryGrace = TimeSpan.FromSeconds(1);
}
