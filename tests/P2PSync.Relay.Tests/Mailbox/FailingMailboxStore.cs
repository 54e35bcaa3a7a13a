using System.Data.Common;
using P2PSync.Relay.Storage;

namespace P2PSync.Relay.Tests.Mailbox;

/// <summary>A store whose appends fail the way a full disk makes SQLite fail; everything else is delegated.</summary>
internal sealed class FailingMailboxStore(IMailboxStore inner) : IMailboxStore
{
    public AppendResult Append(NewEnvelope envelope, MailboxQuotas quotas) => throw new DiskFullException();

    public FetchResult Fetch(byte[] topic, ulong afterCursor, int maxItems, int maxBytes, DateTimeOffset now) =>
        inner.Fetch(topic, afterCursor, maxItems, maxBytes, now);

    public void AddReader(byte[] topic, byte[] device, DateTimeOffset now) => inner.AddReader(topic, device, now);

    public int Acknowledge(byte[] topic, byte[] device, ulong cursor, DateTimeOffset now) => inner.Acknowledge(topic, device, cursor, now);

    public IdleReaderSweep ForgetIdleReaders(DateTimeOffset now, TimeSpan idleAfter) => inner.ForgetIdleReaders(now, idleAfter);

    public int DeleteExpired(DateTimeOffset now) => inner.DeleteExpired(now);

    public ulong LatestCursor(byte[] topic) => inner.LatestCursor(topic);

    public long CountEnvelopes() => inner.CountEnvelopes();

    public long CountTopics() => inner.CountTopics();

    private sealed class DiskFullException() : DbException("database or disk is full", 13);
}
