using System.Net.WebSockets;
using Google.Protobuf;
using P2PSync.Protocol.Relay;
using P2PSync.Relay.Mailbox;
using Xunit.Abstractions;

namespace P2PSync.Relay.Tests.Mailbox;

/// <summary>
/// Seeded mutations of valid frames, before and after authentication: every one is answered with
/// a reply or an Error (never a crash or a hung connection), and a bystander keeps being served.
/// </summary>
public sealed class MailboxMalformedInputTests(ITestOutputHelper output)
{
    private const int Seed = 20261122;
    private const int Mutations = 300;

    [Fact]
    public async Task MutatedFramesAfterAuthGetARepliesOrErrorsAndNeverHurtOthers()
    {
        output.WriteLine($"seed {Seed}, {Mutations} mutations");
        var random = new Random(Seed);
        await using var relay = new MailboxRelayFactory(
            ("Relay:DeviceFrameBurst", "100000"), ("Relay:DeviceFramesPerSecond", "100000"), ("Relay:ConnectionsPerIpPerMinute", "100000"));
        await using var bystander = await relay.ConnectAuthenticatedAsync();
        var templates = ValidRequests();
        MailboxTestClient? client = null;
        var outcomes = new Dictionary<string, int>();
        try
        {
            for (var i = 0; i < Mutations; i++)
            {
                client ??= await relay.ConnectAuthenticatedAsync();
                var bytes = Mutate(templates[random.Next(templates.Length)].ToByteArray(), random);
                await client.SendRawAsync(bytes);
                var reply = await client.ReceiveOrCloseAsync();
                var outcome = reply is null ? $"closed {client.CloseStatus}" : reply.BodyCase == MailboxFrame.BodyOneofCase.Error ? "error " + reply.Error.Code : reply.BodyCase.ToString();
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                if (reply?.BodyCase == MailboxFrame.BodyOneofCase.Error && reply.Error.Code == MailboxErrorCodes.Malformed
                    || reply?.Error?.Code == MailboxErrorCodes.AlreadyAuthenticated)
                {
                    // A fatal refusal: the close follows the Error.
                    Assert.Null(await client.ReceiveOrCloseAsync());
                    reply = null;
                }
                if (reply is null)
                {
                    Assert.True(client.CloseStatus is WebSocketCloseStatus.InvalidPayloadData or WebSocketCloseStatus.PolicyViolation,
                        $"mutation {i}: closed with {client.CloseStatus}");
                    await client.DisposeAsync();
                    client = null;
                }
                if (i % 50 == 0) Assert.True(await bystander.PostAsync(TestBytes.Topic(99), [(byte)i]) > 0);
            }
        }
        finally
        {
            if (client is not null) await client.DisposeAsync();
        }
        foreach (var (outcome, count) in outcomes.OrderBy(o => o.Key)) output.WriteLine($"{outcome}: {count}");
        Assert.True(outcomes.Keys.Count(k => k.StartsWith("error", StringComparison.Ordinal)) >= 2);
        Assert.True((await bystander.FetchAsync(TestBytes.Topic(99))).Items.Count > 0);
    }

    [Fact]
    public async Task MutatedAuthFramesAreRefusedAndClosed()
    {
        output.WriteLine($"seed {Seed + 1}");
        var random = new Random(Seed + 1);
        await using var relay = new MailboxRelayFactory();
        await using var bystander = await relay.ConnectAuthenticatedAsync();
        var key = DeviceKey.Create();
        var accepted = 0;
        for (var i = 0; i < 60; i++)
        {
            await using var client = await relay.ConnectAsync();
            var auth = new MailboxFrame { Auth = client.SignAuth(key, await client.ReadChallengeAsync()) };
            var mutated = Mutate(auth.ToByteArray(), random);
            await client.SendRawAsync(mutated);
            var frames = await client.ReadUntilCloseOrFirstAsync();
            if (frames.BodyCase == MailboxFrame.BodyOneofCase.Authenticated)
            {
                // A mutation that left key, signature and body intact (e.g. an appended unknown field) still proves the key.
                accepted++;
                continue;
            }
            Assert.Equal(MailboxFrame.BodyOneofCase.Error, frames.BodyCase);
            Assert.Contains(frames.Error.Code, new[] { MailboxErrorCodes.BadSignature, MailboxErrorCodes.Malformed, MailboxErrorCodes.Unauthenticated });
        }
        output.WriteLine($"accepted (harmless mutations): {accepted}");
        Assert.True(await bystander.PostAsync(TestBytes.Topic(1), [1]) > 0);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0x0A, 0x05, 0x01 })] // a length longer than the message
    [InlineData(new byte[] { 0x22, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })] // a huge declared length
    [InlineData(new byte[] { 0x00 })] // field number 0
    [InlineData(new byte[] { })] // an empty frame: no body
    public async Task TruncatedOrNonsenseProtobufIsMalformed(byte[] bytes)
    {
        await using var relay = new MailboxRelayFactory();
        await using var client = await relay.ConnectAuthenticatedAsync();

        await client.SendRawAsync(bytes);

        await client.ExpectErrorAndCloseAsync(MailboxErrorCodes.Malformed, WebSocketCloseStatus.InvalidPayloadData);
    }

    private static MailboxFrame[] ValidRequests()
    {
        var topic = ByteString.CopyFrom(TestBytes.Topic(5));
        return
        [
            new() { Post = new Post { Topic = topic, Envelope = ByteString.CopyFrom(TestBytes.Random(6, 40)), TtlSeconds = 60 } },
            new() { Fetch = new Fetch { Topic = topic, AfterCursor = 3, Max = 10 } },
            new() { Subscribe = new Subscribe { Topic = topic } },
            new() { Ack = new Ack { Topic = topic, Cursor = 2 } },
        ];
    }

    /// <summary>Flips, inserts, deletes or overwrites a few bytes, or truncates.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes.Insert(at, (byte)random.Next(256)); break;
                case 2 when bytes.Count > 0: bytes.RemoveAt(at); break;
                case 3 when bytes.Count > 0: bytes[at] = (byte)random.Next(256); break;
                case 4 when bytes.Count > 1: bytes.RemoveRange(at, bytes.Count - at); break;
                default: bytes.Add((byte)random.Next(256)); break;
            }
        }
        return [.. bytes];
    }
}
