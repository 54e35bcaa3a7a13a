using P2PSync.Relay.Storage;
using P2PSync.Relay.Tests.Mailbox;

namespace P2PSync.Relay.Tests.Storage;

public sealed class SqliteMailboxStoreTests : IDisposable
{
    private static readonly MailboxQuotas Roomy = new(TopicBytes: 1 << 20, TopicEnvelopes: 1000, DeviceBytes: 1 << 20);
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "p2psync-store-" + Guid.NewGuid().ToString("N"));
    private readonly byte[] _topic = TestBytes.Topic(1);
    private readonly byte[] _poster = TestBytes.Random(2, 32);
    private readonly byte[] _reader = TestBytes.Random(3, 32);

    [Fact]
    public void CursorsAreNeverReusedAfterTheNewestEnvelopeIsDeleted()
    {
        using var store = new SqliteMailboxStore(_directory);
        store.AddReader(_topic, _reader, Now);
        var first = Append(store, [1]);
        Assert.Equal(1, store.Acknowledge(_topic, _reader, first, Now));

        var second = Append(store, [2]);

        Assert.True(second > first);
    }

    [Fact]
    public void ReopenedStoreKeepsEnvelopesReadersAndAcks()
    {
        ulong kept;
        using (var store = new SqliteMailboxStore(_directory))
        {
            store.AddReader(_topic, _reader, Now);
            var acked = Append(store, [1]);
            kept = Append(store, [2]);
            store.Acknowledge(_topic, _reader, acked, Now);
        }

        using var reopened = new SqliteMailboxStore(_directory);
        var page = reopened.Fetch(_topic, 0, 10, 1 << 20, Now);
        reopened.Acknowledge(_topic, _reader, 0, Now); // lower than before: ignored, nothing more deleted

        Assert.Equal([kept], page.Items.Select(i => i.Cursor));
        Assert.Equal(1, reopened.CountEnvelopes());
        Assert.Equal(1, reopened.Acknowledge(_topic, _reader, kept, Now));
    }

    [Fact]
    public void AckOnAnotherTopicDeletesNothingHere()
    {
        using var store = new SqliteMailboxStore(_directory);
        var cursor = Append(store, [1]);
        var otherTopic = TestBytes.Topic(2);

        store.Acknowledge(otherTopic, _reader, cursor, Now);

        Assert.Equal(1, store.CountEnvelopes());
        Assert.Equal(1, store.CountTopics());
    }

    [Fact]
    public void FetchRespectsTheByteCapButAlwaysReturnsOneItem()
    {
        using var store = new SqliteMailboxStore(_directory);
        Append(store, new byte[600]);
        Append(store, new byte[600]);

        var capped = store.Fetch(_topic, 0, 10, maxBytes: 1000, Now);
        var tiny = store.Fetch(_topic, 0, 10, maxBytes: 10, Now);

        Assert.Single(capped.Items);
        Assert.True(capped.More);
        Assert.Single(tiny.Items);
    }

    [Fact]
    public void ExpiryIsExactToTheMillisecond()
    {
        using var store = new SqliteMailboxStore(_directory);
        Append(store, [1], expires: Now.AddSeconds(10));

        Assert.Single(store.Fetch(_topic, 0, 10, 1000, Now.AddSeconds(10).AddMilliseconds(-1)).Items);
        Assert.Empty(store.Fetch(_topic, 0, 10, 1000, Now.AddSeconds(10)).Items);
        Assert.Equal(0, store.DeleteExpired(Now.AddSeconds(10).AddMilliseconds(-1)));
        Assert.Equal(1, store.DeleteExpired(Now.AddSeconds(10)));
    }

    [Fact]
    public void QuotasRefuseWithTheirReasonAndStoreNothing()
    {
        using var store = new SqliteMailboxStore(_directory);
        var quotas = new MailboxQuotas(TopicBytes: 100, TopicEnvelopes: 2, DeviceBytes: 150);
        store.Append(new NewEnvelope(_topic, _poster, new byte[60], Now.AddHours(1)), quotas);

        var topicBytes = store.Append(new NewEnvelope(_topic, _poster, new byte[41], Now.AddHours(1)), quotas);
        var deviceBytes = store.Append(new NewEnvelope(TestBytes.Topic(9), _poster, new byte[91], Now.AddHours(1)), quotas);
        store.Append(new NewEnvelope(_topic, _reader, new byte[1], Now.AddHours(1)), quotas);
        var topicCount = store.Append(new NewEnvelope(_topic, _reader, new byte[1], Now.AddHours(1)), quotas);

        Assert.Equal(QuotaRefusal.TopicBytes, topicBytes.Refusal);
        Assert.Equal(QuotaRefusal.DeviceBytes, deviceBytes.Refusal);
        Assert.Equal(QuotaRefusal.TopicEnvelopes, topicCount.Refusal);
        Assert.Equal(2, store.CountEnvelopes());
    }

    [Fact]
    public void DataDirectoryIsCreatedWhenMissing()
    {
        var nested = Path.Combine(_directory, "a", "b");
        using var store = new SqliteMailboxStore(nested);

        Assert.True(File.Exists(Path.Combine(nested, SqliteMailboxStore.FileName)));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private ulong Append(SqliteMailboxStore store, byte[] envelope, DateTimeOffset? expires = null)
    {
        var result = store.Append(new NewEnvelope(_topic, _poster, envelope, expires ?? Now.AddHours(1)), Roomy);
        Assert.True(result.Stored);
        return result.Cursor;
    }
}
