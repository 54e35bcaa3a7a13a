namespace P2PSync.Relay.Storage;

/// <summary>
/// Durable mailbox state: envelopes per topic and each reader's acknowledged cursor. Small on
/// purpose, so a later issue can put it on PostgreSQL for several relay instances. Cursors are
/// positive, strictly increasing per topic, and never reused. Implementations are thread-safe.
/// </summary>
internal interface IMailboxStore
{
    /// <summary>
    /// Stores an envelope unless a quota would be exceeded. Returns the cursor once the envelope
    /// is durable (a crash after this returns loses nothing), or the quota that refused it.
    /// </summary>
    AppendResult Append(NewEnvelope envelope, MailboxQuotas quotas);

    /// <summary>Envelopes of <paramref name="topic"/> after <paramref name="afterCursor"/> that have not expired at <paramref name="now"/>.</summary>
    FetchResult Fetch(byte[] topic, ulong afterCursor, int maxItems, int maxBytes, DateTimeOffset now);

    /// <summary>
    /// Records <paramref name="device"/> as a reader of <paramref name="topic"/> (ack starts at 0
    /// unless already higher), active at <paramref name="now"/>.
    /// </summary>
    void AddReader(byte[] topic, byte[] device, DateTimeOffset now);

    /// <summary>
    /// Raises the device's ack (never lowers it) and marks it active at <paramref name="now"/>,
    /// then deletes every envelope all readers acked. Returns how many were deleted.
    /// </summary>
    int Acknowledge(byte[] topic, byte[] device, ulong cursor, DateTimeOffset now);

    /// <summary>
    /// Forgets every reader not active for <paramref name="idleAfter"/> before <paramref name="now"/>,
    /// then deletes the envelopes of those topics that every remaining reader acked (a topic left
    /// with no reader keeps its envelopes until their TTL).
    /// </summary>
    IdleReaderSweep ForgetIdleReaders(DateTimeOffset now, TimeSpan idleAfter);

    /// <summary>Deletes envelopes whose TTL passed. Returns how many were deleted.</summary>
    int DeleteExpired(DateTimeOffset now);

    /// <summary>Highest cursor stored for the topic, 0 if none.</summary>
    ulong LatestCursor(byte[] topic);

    long CountEnvelopes();

    long CountTopics();
}
