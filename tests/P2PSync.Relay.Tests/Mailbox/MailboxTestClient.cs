using System.Net.WebSockets;
using Google.Protobuf;
using P2PSync.Protocol.Relay;

namespace P2PSync.Relay.Tests.Mailbox;

/// <summary>A test's side of one /mailbox WebSocket: sends frames, reads replies, observes the close.</summary>
internal sealed class MailboxTestClient(WebSocket socket) : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    public WebSocket Socket { get; } = socket;

    public Challenge? Challenge { get; private set; }

    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public string? CloseDescription { get; private set; }

    public async Task<Challenge> ReadChallengeAsync()
    {
        var frame = await ReceiveAsync();
        Assert.Equal(MailboxFrame.BodyOneofCase.Challenge, frame.BodyCase);
        Challenge = frame.Challenge;
        return frame.Challenge;
    }

    public Auth SignAuth(DeviceKey key, Challenge challenge) => new()
    {
        DeviceKey = ByteString.CopyFrom(key.PublicKey),
        Signature = ByteString.CopyFrom(key.SignChallenge(challenge.Nonce.Span, challenge.RelayId)),
    };

    public async Task AuthenticateAsync(DeviceKey key)
    {
        var challenge = await ReadChallengeAsync();
        await SendAsync(new MailboxFrame { Auth = SignAuth(key, challenge) });
        var reply = await ReceiveAsync();
        Assert.Equal(MailboxFrame.BodyOneofCase.Authenticated, reply.BodyCase);
        Assert.Equal(key.PublicKey, reply.Authenticated.DeviceKey.ToByteArray());
    }

    public Task SendAsync(MailboxFrame frame) => SendRawAsync(frame.ToByteArray());

    public async Task SendRawAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Binary)
    {
        using var timeout = new CancellationTokenSource(DefaultWait);
        await Socket.SendAsync(bytes, type, endOfMessage: true, timeout.Token);
    }

    /// <summary>The next frame; fails the test if the relay closes instead or nothing arrives in time.</summary>
    public async Task<MailboxFrame> ReceiveAsync(TimeSpan? wait = null)
    {
        var frame = await ReceiveOrCloseAsync(wait);
        Assert.True(frame is not null, $"expected a frame, the relay closed with {CloseStatus} {CloseDescription}");
        return frame!;
    }

    /// <summary>The next frame, or null once the relay's close frame arrived (then <see cref="CloseStatus"/> is set).</summary>
    public async Task<MailboxFrame?> ReceiveOrCloseAsync(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? DefaultWait);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                CloseStatus = result.CloseStatus;
                CloseDescription = result.CloseStatusDescription;
                if (Socket.State == WebSocketState.CloseReceived)
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                return null;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return MailboxFrame.Parser.ParseFrom(message.ToArray());
        }
    }

    /// <summary>Reads until the relay closes; returns the frames seen before the close.</summary>
    public async Task<List<MailboxFrame>> ReadUntilCloseAsync(TimeSpan? wait = null)
    {
        var frames = new List<MailboxFrame>();
        while (await ReceiveOrCloseAsync(wait) is { } frame) frames.Add(frame);
        return frames;
    }

    /// <summary>The first frame, then drains until the relay closes (if it does within the wait).</summary>
    public async Task<MailboxFrame> ReadUntilCloseOrFirstAsync()
    {
        var first = await ReceiveAsync();
        if (first.BodyCase == MailboxFrame.BodyOneofCase.Error) await ReadUntilCloseAsync();
        return first;
    }

    /// <summary>Expects an Error with <paramref name="code"/> followed by a close with <paramref name="status"/>.</summary>
    public async Task ExpectErrorAndCloseAsync(string code, WebSocketCloseStatus status)
    {
        var frames = await ReadUntilCloseAsync();
        var error = Assert.Single(frames);
        Assert.Equal(MailboxFrame.BodyOneofCase.Error, error.BodyCase);
        Assert.Equal(code, error.Error.Code);
        Assert.Equal(status, CloseStatus);
    }

    public async Task<Error> ExpectErrorAsync(string code)
    {
        var frame = await ReceiveAsync();
        Assert.Equal(MailboxFrame.BodyOneofCase.Error, frame.BodyCase);
        Assert.Equal(code, frame.Error.Code);
        return frame.Error;
    }

    public async Task<ulong> PostAsync(byte[] topic, byte[] envelope, uint ttlSeconds = 0)
    {
        await SendAsync(PostFrame(topic, envelope, ttlSeconds));
        var reply = await ReceiveAsync();
        Assert.True(reply.BodyCase == MailboxFrame.BodyOneofCase.Posted, $"expected Posted, got {reply}");
        Assert.Equal(topic, reply.Posted.Topic.ToByteArray());
        return reply.Posted.Cursor;
    }

    public async Task<Batch> FetchAsync(byte[] topic, ulong afterCursor = 0, uint max = 0)
    {
        await SendAsync(new MailboxFrame { Fetch = new Fetch { Topic = ByteString.CopyFrom(topic), AfterCursor = afterCursor, Max = max } });
        var reply = await ReceiveAsync();
        Assert.True(reply.BodyCase == MailboxFrame.BodyOneofCase.Batch, $"expected Batch, got {reply}");
        return reply.Batch;
    }

    public async Task<ulong> SubscribeAsync(byte[] topic)
    {
        await SendAsync(new MailboxFrame { Subscribe = new Subscribe { Topic = ByteString.CopyFrom(topic) } });
        var reply = await ReceiveAsync();
        Assert.True(reply.BodyCase == MailboxFrame.BodyOneofCase.Subscribed, $"expected Subscribed, got {reply}");
        return reply.Subscribed.LatestCursor;
    }

    public async Task AckAsync(byte[] topic, ulong cursor)
    {
        await SendAsync(new MailboxFrame { Ack = new Ack { Topic = ByteString.CopyFrom(topic), Cursor = cursor } });
        var reply = await ReceiveAsync();
        Assert.True(reply.BodyCase == MailboxFrame.BodyOneofCase.Acked, $"expected Acked, got {reply}");
    }

    public static MailboxFrame PostFrame(byte[] topic, byte[] envelope, uint ttlSeconds = 0) => new()
    {
        Post = new Post { Topic = ByteString.CopyFrom(topic), Envelope = ByteString.CopyFrom(envelope), TtlSeconds = ttlSeconds },
    };

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                // The relay already went away; nothing to close.
            }
        }
        Socket.Dispose();
    }
}
