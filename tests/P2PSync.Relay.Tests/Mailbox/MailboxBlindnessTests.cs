using System.Text;
using Microsoft.Extensions.DependencyInjection;
using P2PSync.Relay.Mailbox;
using P2PSync.Relay.Storage;

namespace P2PSync.Relay.Tests.Mailbox;

/// <summary>
/// The relay only ever holds opaque bytes; these tests check it never repeats them where they
/// do not belong: not in its logs (at Trace level, every category), and not in its database once
/// the envelopes were acknowledged (secure_delete and the WAL checkpoint on shutdown).
/// </summary>
public sealed class MailboxBlindnessTests
{
    private static readonly byte[] Marker = "PLAINTEXT-MARKER-c0ffee-only-inside-envelopes"u8.ToArray();

    [Fact]
    public async Task LogsNeverContainEnvelopeOrKeyBytesInAnyEncoding()
    {
        var envelopes = Enumerable.Range(0, 6).Select(Envelope).ToList();
        var key = DeviceKey.Create();
        string logs;
        await using (var relay = new MailboxRelayFactory(("Relay:MaxEnvelopeBytes", "4096"), ("Relay:TopicQuotaEnvelopes", "4")))
        {
            await RunScenarioAsync(relay, key, envelopes);
            await relay.DisposeAsync();
            logs = relay.Logs.AllText();
            Assert.True(relay.Logs.Count > 0);
        }

        Assert.DoesNotContain("PLAINTEXT-MARKER", logs, StringComparison.OrdinalIgnoreCase);
        foreach (var secret in envelopes.Append(key.PublicKey))
        {
            Assert.DoesNotContain(Convert.ToHexString(secret.AsSpan(0, 16)), logs, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToBase64String(secret).Substring(0, 16), logs, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(secret.AsSpan(0, 16)).ToLowerInvariant(), logs, StringComparison.Ordinal);
        }
        Assert.Contains(MailboxErrorCodes.TooLarge, logs); // the refusals were logged, by code only
    }

    [Fact]
    public async Task AcknowledgedEnvelopesLeaveNoBytesInTheDatabaseFiles()
    {
        var envelopes = Enumerable.Range(0, 6).Select(Envelope).ToList();
        var directory = Path.Combine(Path.GetTempPath(), "p2psync-blind-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var relay = new MailboxRelayFactory(directory, ownsDirectory: false))
            {
                await using var poster = await relay.ConnectAuthenticatedAsync();
                await using var reader = await relay.ConnectAuthenticatedAsync();
                var topic = TestBytes.Topic(1);
                await reader.FetchAsync(topic);
                ulong last = 0;
                foreach (var envelope in envelopes) last = await poster.PostAsync(topic, envelope);
                Assert.Equal(envelopes.Count, (await reader.FetchAsync(topic)).Items.Count);
                // Stored, the ciphertext is of course in the files: the check below can fail.
                Assert.True(FilesHoldMarker(directory));
                await reader.AckAsync(topic, last);
                await poster.DisposeAsync();
                await reader.DisposeAsync();
                // The host disposes its singletons on a thread of its own after the factory
                // returns; dispose the store here, as shutdown does, so the files are final when read.
                relay.Services.GetRequiredService<SqliteMailboxStore>().Dispose();
            }

            Assert.Contains(Directory.GetFiles(directory), f => f.EndsWith(SqliteMailboxStore.FileName, StringComparison.Ordinal));
            var holders = Directory.GetFiles(directory).Where(f => FileHoldsMarker(f)).Select(f => $"{Path.GetFileName(f)} ({new FileInfo(f).Length} bytes)");
            Assert.True(!holders.Any(), directory + ": " + string.Join(", ", holders));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static bool FilesHoldMarker(string directory) => Directory.GetFiles(directory).Any(FileHoldsMarker);

    private static bool FileHoldsMarker(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.GetBuffer().AsSpan(0, (int)copy.Length).IndexOf(Marker) >= 0;
    }

    /// <summary>Random "sealed" bytes with the marker inside, as if a node had encrypted a document name.</summary>
    private static byte[] Envelope(int seed)
    {
        var bytes = TestBytes.Random(500 + seed, 300);
        Marker.CopyTo(bytes, 100);
        return bytes;
    }

    private static async Task RunScenarioAsync(MailboxRelayFactory relay, DeviceKey key, List<byte[]> envelopes)
    {
        var topic = TestBytes.Topic(2);
        await using var poster = await relay.ConnectAuthenticatedAsync(key);
        await using var subscriber = await relay.ConnectAuthenticatedAsync();
        await subscriber.SubscribeAsync(topic);
        ulong last = 0;
        foreach (var envelope in envelopes.Take(4)) last = await poster.PostAsync(topic, envelope);
        for (var i = 0; i < 4; i++) await subscriber.ReceiveAsync();
        await poster.SendAsync(MailboxTestClient.PostFrame(topic, envelopes[4])); // over the topic count quota
        await poster.ExpectErrorAsync(MailboxErrorCodes.Quota);
        var tooLarge = new byte[5000];
        for (var i = 0; i < tooLarge.Length; i++) tooLarge[i] = envelopes[5][i % envelopes[5].Length];
        await poster.SendAsync(MailboxTestClient.PostFrame(topic, tooLarge));
        await poster.ExpectErrorAsync(MailboxErrorCodes.TooLarge);
        await subscriber.FetchAsync(topic);
        await subscriber.AckAsync(topic, last);
        // A malformed frame made of envelope bytes: refused without echoing them.
        await poster.SendRawAsync(envelopes[5]);
        await poster.ReadUntilCloseAsync();
        Assert.Equal(Encoding.ASCII.GetString(Marker), Encoding.ASCII.GetString(envelopes[0], 100, Marker.Length));
    }
}
