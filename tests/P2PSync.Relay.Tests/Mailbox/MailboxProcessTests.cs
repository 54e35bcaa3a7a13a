using P2PSync.Relay.Storage;

namespace P2PSync.Relay.Tests.Mailbox;

/// <summary>The relay as a real process on 127.0.0.1, started with --urls and --data.</summary>
public sealed class MailboxProcessTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "p2psync-process-" + Guid.NewGuid().ToString("N"), "data");

    [Fact]
    public async Task KilledRelayLosesNothingItAnsweredPostedFor()
    {
        var topic = TestBytes.Topic(1);
        var device = DeviceKey.Create();
        var envelopes = Enumerable.Range(0, 30).Select(i => TestBytes.Random(2000 + i, 100 + i)).ToList();
        var cursors = new List<ulong>();
        await using (var relay = await RelayProcess.StartAsync(_directory, ("Relay__RelayId", "process-relay")))
        {
            await using var client = await relay.ConnectAsync(device);
            Assert.Equal("process-relay", client.Challenge!.RelayId);
            foreach (var envelope in envelopes) cursors.Add(await client.PostAsync(topic, envelope));
            await relay.CrashAsync();
        }
        Assert.True(File.Exists(Path.Combine(_directory, SqliteMailboxStore.FileName)), "--data chose where the database lives");

        await using var restarted = await RelayProcess.StartAsync(_directory);
        await using var reader = await restarted.ConnectAsync(device);
        var batch = await reader.FetchAsync(topic);

        Assert.Equal(cursors, batch.Items.Select(i => i.Cursor));
        Assert.Equal(envelopes, batch.Items.Select(i => i.Envelope.ToByteArray()));
    }

    public void Dispose()
    {
        var root = Path.GetDirectoryName(_directory)!;
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }
}
