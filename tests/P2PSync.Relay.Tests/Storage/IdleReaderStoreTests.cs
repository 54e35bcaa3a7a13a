using Microsoft.Data.Sqlite;
using P2PSync.Relay.Storage;
using P2PSync.Relay.Tests.Mailbox;

namespace P2PSync.Relay.Tests.Storage;

/// <summary>Readers that stay away for the idle time stop holding envelopes (SqliteMailboxStore.ForgetIdleReaders).</summary>
public sealed class IdleReaderStoreTests : IDisposable
{
    private static readonly MailboxQuotas Roomy = new(TopicBytes: 1 << 20, TopicEnvelopes: 1000, DeviceBytes: 1 << 20);
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Idle = TimeSpan.FromDays(30);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "p2psync-idle-" + Guid.NewGuid().ToString("N"));
    private readonly byte[] _topic = TestBytes.Topic(1);
    private readonly byte[] _poster = TestBytes.Random(2, 32);
    private readonly byte[] _active = TestBytes.Random(3, 32);
    private readonly byte[] _gone = TestBytes.Random(4, 32);

    [Fact]
    public void AReaderGoneForTheIdleTimeNoLongerKeepsWhatTheOthersAcked()
    {
        using var store = new SqliteMailboxStore(_directory);
        store.AddReader(_topic, _active, Start);
        store.AddReader(_topic, _gone, Start);
        var cursor = Append(store, [1]);
        var later = Start + Idle - TimeSpan.FromDays(1);
        Assert.Equal(0, store.Acknowledge(_topic, _active, cursor, later));

        var early = store.ForgetIdleReaders(Start + Idle - TimeSpan.FromMilliseconds(1), Idle);
        var due = store.ForgetIdleReaders(Start + Idle + TimeSpan.FromMilliseconds(1), Idle);

        Assert.Equal(new IdleReaderSweep(0, 0), early);
        Assert.Equal(new IdleReaderSweep(1, 1), due);
        Assert.Equal(0, store.CountEnvelopes());
    }

    [Fact]
    public void FetchSubscribeOrAckKeepAReaderCounting()
    {
        using var store = new SqliteMailboxStore(_directory);
        store.AddReader(_topic, _active, Start);
        store.AddReader(_topic, _gone, Start);
        var cursor = Append(store, [1]);
        store.Acknowledge(_topic, _active, cursor, Start);
        // The slow reader comes back (AddReader is what Fetch and Subscribe do) just before its time is up.
        store.AddReader(_topic, _gone, Start + Idle - TimeSpan.FromHours(1));

        var sweep = store.ForgetIdleReaders(Start + Idle + TimeSpan.FromHours(1), Idle);

        Assert.Equal(new IdleReaderSweep(1, 0), sweep); // the active reader acked long ago and went quiet itself
        Assert.Equal(1, store.CountEnvelopes());
        Assert.Equal(1, store.Acknowledge(_topic, _gone, cursor, Start + Idle + TimeSpan.FromHours(2)));
    }

    [Fact]
    public void ATopicLeftWithoutReadersKeepsItsEnvelopesUntilTheirTtl()
    {
        using var store = new SqliteMailboxStore(_directory);
        store.AddReader(_topic, _gone, Start);
        Append(store, [1], expires: Start + TimeSpan.FromDays(60));

        var sweep = store.ForgetIdleReaders(Start + Idle + TimeSpan.FromDays(1), Idle);

        Assert.Equal(new IdleReaderSweep(1, 0), sweep);
        Assert.Equal(1, store.CountEnvelopes());
        Assert.Equal(1, store.DeleteExpired(Start + TimeSpan.FromDays(60)));
    }

    [Fact]
    public void AForgottenReaderThatReturnsCountsAgainFromScratch()
    {
        using var store = new SqliteMailboxStore(_directory);
        store.AddReader(_topic, _gone, Start);
        store.ForgetIdleReaders(Start + Idle + TimeSpan.FromDays(1), Idle);
        var back = Start + Idle + TimeSpan.FromDays(2);
        store.AddReader(_topic, _gone, back);
        store.AddReader(_topic, _active, back);
        var cursor = Append(store, [1]);

        Assert.Equal(0, store.Acknowledge(_topic, _active, cursor, back));
        Assert.Equal(1, store.Acknowledge(_topic, _gone, cursor, back));
    }

    [Fact]
    public void ReadersFromAFileWrittenBeforeActivityWasTrackedGetAFullIdlePeriodAfterTheUpgrade()
    {
        Directory.CreateDirectory(_directory);
        using (var old = new SqliteConnection($"Data Source={Path.Combine(_directory, SqliteMailboxStore.FileName)};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE readers (topic BLOB NOT NULL, device BLOB NOT NULL, acked INTEGER NOT NULL, PRIMARY KEY (topic, device)) WITHOUT ROWID;
                INSERT INTO readers VALUES (x'01', x'02', 0);
                """;
            create.ExecuteNonQuery();
        }

        using var store = new SqliteMailboxStore(_directory);
        var first = store.ForgetIdleReaders(Start, Idle);
        var beforeDue = store.ForgetIdleReaders(Start + Idle - TimeSpan.FromMilliseconds(1), Idle);
        var due = store.ForgetIdleReaders(Start + Idle + TimeSpan.FromMilliseconds(1), Idle);

        Assert.Equal(0, first.ReadersForgotten);
        Assert.Equal(0, beforeDue.ReadersForgotten);
        Assert.Equal(1, due.ReadersForgotten);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private ulong Append(SqliteMailboxStore store, byte[] envelope, DateTimeOffset? expires = null)
    {
        var result = store.Append(new NewEnvelope(_topic, _poster, envelope, expires ?? Start + TimeSpan.FromDays(90)), Roomy);
        Assert.True(result.Stored);
        return result.Cursor;
    }
}
