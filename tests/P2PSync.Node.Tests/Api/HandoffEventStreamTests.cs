using System.Text;
using System.Text.Json;
using P2PSync.Node.Api;
using P2PSync.Node.Cli.Client;
using P2PSync.Node.Handoff;
using P2PSync.Node.Hosting;
using P2PSync.Node.Identity;

namespace P2PSync.Node.Tests.Api;

/// <summary>The wire format of /api/handoff/events and the CLI's reader of it.</summary>
public sealed class HandoffEventStreamTests
{
    private static readonly DeviceKey Peer = DeviceKey.Generate();

    [Fact]
    public void Format_IsIdEventDataAndBlankLine()
    {
        var item = new HandoffFeedItem(7, new HandoffEvent(HandoffEvent.Failed, "abc", Peer.Id, 5, 10, "connection lost\nafter 1 of 2"));

        var text = HandoffEventStream.Format(item);

        var lines = text.Split('\n');
        Assert.Equal("id: 7", lines[0]);
        Assert.Equal("event: failed", lines[1]);
        Assert.StartsWith("data: {", lines[2], StringComparison.Ordinal);
        Assert.Equal(["", ""], lines[3..]);
        using var data = JsonDocument.Parse(lines[2]["data: ".Length..]);
        Assert.Equal("abc", data.RootElement.GetProperty("id").GetString());
        Assert.Equal(Peer.Id.ToString(), data.RootElement.GetProperty("peer").GetString());
        Assert.Equal(5, data.RootElement.GetProperty("bytesDone").GetInt64());
        Assert.Equal(10, data.RootElement.GetProperty("bytesTotal").GetInt64());
        Assert.Equal("connection lost\nafter 1 of 2", data.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Reader_ReadsWhatFormatWrites_SkippingComments()
    {
        var items = new[]
        {
            new HandoffFeedItem(1, new HandoffEvent(HandoffEvent.Transferring, "x", Peer.Id, 0, 9, null)),
            new HandoffFeedItem(2, new HandoffEvent(HandoffEvent.Ready, "x", Peer.Id, 9, 9, null)),
        };
        var stream = ": subscribed\n\n" + HandoffEventStream.Format(items[0]) + ": keep-alive\n\n" + HandoffEventStream.Format(items[1]);

        var events = await ReadAllAsync(stream);

        Assert.Equal(["transferring", "ready"], events.Select(e => e.Event));
        Assert.Equal(["1", "2"], events.Select(e => e.Id));
        var ready = JsonSerializer.Deserialize<HandoffEventView>(events[1].Data, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(new HandoffEventView("x", Peer.Id.ToString(), 9, 9, null), ready);
    }

    [Fact]
    public async Task Reader_FollowsTheStandard_MultiLineDataNoSpaceDefaultNameAndCrLf()
    {
        var events = await ReadAllAsync("data:one\r\ndata: two\r\n\r\nevent: x\nid\ndata\n\nevent: ignored-no-data\n\n");

        Assert.Equal(2, events.Count);
        Assert.Equal(new ServerSentEvent(null, "message", "one\ntwo"), events[0]);
        Assert.Equal(new ServerSentEvent("", "x", ""), events[1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Reader_RandomBytes_OnlyEventsOrFormatException(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 200; round++)
        {
            var bytes = new byte[random.Next(0, 600)];
            random.NextBytes(bytes);
            // Bias towards the format's own characters so fields and blank lines actually occur.
            for (var i = 0; i < bytes.Length; i++)
            {
                if (random.Next(3) == 0)
                {
                    bytes[i] = (byte)"\n:data event id \r"[random.Next(16)];
                }
            }

            try
            {
                var events = await ReadAllAsync(Encoding.UTF8.GetString(bytes));
                Assert.All(events, e => Assert.NotNull(e.Data));
            }
            catch (Exception ex) when (ex is not FormatException)
            {
                Assert.Fail($"seed {seed} round {round}: {ex}");
            }
        }
    }

    [Fact]
    public async Task Reader_OversizedEvent_IsFormatException()
    {
        var huge = "data: " + new string('x', ServerSentEventReader.MaxEventChars + 1) + "\n\n";

        await Assert.ThrowsAsync<FormatException>(() => ReadAllAsync(huge));
    }

    private static async Task<List<ServerSentEvent>> ReadAllAsync(string text)
    {
        var events = new List<ServerSentEvent>();
        await foreach (var e in ServerSentEventReader.ReadAsync(new StringReader(text), CancellationToken.None))
        {
            events.Add(e);
        }

        return events;
    }
}
