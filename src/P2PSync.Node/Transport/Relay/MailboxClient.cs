using System.Net.WebSockets;
using Google.Protobuf;
using P2PSync.Node.Identity;
using P2PSync.Protocol.Relay;

namespace P2PSync.Node.Transport.Relay;

/// <summary>
/// A device's connection to a relay's blind mailbox (docs/protocol/relay-mailbox.md): proves the
/// device key by signing the relay's challenge, then posts, fetches, subscribes and acknowledges
/// opaque (sealed) envelopes by topic. One binary WebSocket message = one <see cref="MailboxFrame"/>.
/// </summary>
/// <remarks>
/// The relay answers requests of one kind in the order they were sent and tags nothing with an
/// id, so each kind of answer has its own queue of waiting callers; pushes arrive through
/// <see cref="Pushed"/>. Requests may be issued from several threads (sends are serialised).
/// An Error frame fails the oldest waiting request, since the relay answers in order.
/// </remarks>
internal sealed class MailboxClient : IAsyncDisposable
{
    /// <summary>Largest frame this client accepts from a relay (a batch of envelopes).</summary>
    public const int MaxFrameBytes = 64 * 1024 * 1024;

    private static ReadOnlySpan<byte> AuthLabel => "p2psync/relay-auth/v1\0"u8;

    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<MailboxFrame.BodyOneofCase, Queue<TaskCompletionSource<MailboxFrame>>> _waiting = [];
    private readonly Queue<TaskCompletionSource<MailboxFrame>> _order = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;
    private Exception? _failure;

    private MailboxClient(WebSocket socket)
    {
        _socket = socket;
    }

    /// <summary>A live post on a subscribed topic: (topic, cursor, envelope).</summary>
    public event Action<byte[], ulong, byte[]>? Pushed;

    /// <summary>The latest round trip of a request (sent until answered), or null before the first answer.</summary>
    public TimeSpan? RoundTrip { get; private set; }

    /// <summary>The device key the relay accepted.</summary>
    public byte[] DeviceKey { get; private set; } = [];

    /// <summary>Authenticates on an open WebSocket to the relay's /mailbox; throws <see cref="MailboxException"/> when the relay refuses.</summary>
    public static async Task<MailboxClient> ConnectAsync(WebSocket socket, DeviceKey key, CancellationToken cancellationToken)
    {
        var client = new MailboxClient(socket);
        try
        {
            var challenge = await client.ReceiveFrameAsync(cancellationToken).ConfigureAwait(false);
            if (challenge.BodyCase != MailboxFrame.BodyOneofCase.Challenge)
            {
                throw new MailboxException("protocol", $"the relay opened with {challenge.BodyCase} instead of a Challenge");
            }

            var relayId = System.Text.Encoding.UTF8.GetBytes(challenge.Challenge.RelayId);
            var signed = new byte[AuthLabel.Length + challenge.Challenge.Nonce.Length + relayId.Length];
            AuthLabel.CopyTo(signed);
            challenge.Challenge.Nonce.Span.CopyTo(signed.AsSpan(AuthLabel.Length));
            relayId.CopyTo(signed.AsSpan(AuthLabel.Length + challenge.Challenge.Nonce.Length));
            await client.SendFrameAsync(
                new MailboxFrame { Auth = new Auth { DeviceKey = ByteString.CopyFrom(key.PublicKey), Signature = ByteString.CopyFrom(key.Sign(signed)) } },
                cancellationToken).ConfigureAwait(false);
            var answer = await client.ReceiveFrameAsync(cancellationToken).ConfigureAwait(false);
            switch (answer.BodyCase)
            {
                case MailboxFrame.BodyOneofCase.Authenticated:
                    client.DeviceKey = answer.Authenticated.DeviceKey.ToByteArray();
                    break;
                case MailboxFrame.BodyOneofCase.Error:
                    throw new MailboxException(answer.Error.Code, answer.Error.Message);
                default:
                    throw new MailboxException("protocol", $"the relay answered the Auth with {answer.BodyCase}");
            }

            client._reader = Task.Run(client.ReadLoopAsync, CancellationToken.None);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stores a sealed envelope under the topic; returns its cursor once the relay made it durable.</summary>
    public async Task<ulong> PostAsync(byte[] topic, byte[] envelope, uint ttlSeconds, CancellationToken cancellationToken)
    {
        var answer = await RequestAsync(
            new MailboxFrame { Post = new Post { Topic = ByteString.CopyFrom(topic), Envelope = ByteString.CopyFrom(envelope), TtlSeconds = ttlSeconds } },
            MailboxFrame.BodyOneofCase.Posted,
            cancellationToken).ConfigureAwait(false);
        return answer.Posted.Cursor;
    }

    /// <summary>Envelopes of the topic after the cursor, oldest first (at most the relay's cap; <c>more</c> says there is more).</summary>
    public async Task<Batch> FetchAsync(byte[] topic, ulong afterCursor, uint max, CancellationToken cancellationToken)
    {
        var answer = await RequestAsync(
            new MailboxFrame { Fetch = new Fetch { Topic = ByteString.CopyFrom(topic), AfterCursor = afterCursor, Max = max } },
            MailboxFrame.BodyOneofCase.Batch,
            cancellationToken).ConfigureAwait(false);
        return answer.Batch;
    }

    /// <summary>Starts live pushes of later posts to the topic; returns the topic's latest cursor now.</summary>
    public async Task<ulong> SubscribeAsync(byte[] topic, CancellationToken cancellationToken)
    {
        var answer = await RequestAsync(
            new MailboxFrame { Subscribe = new Subscribe { Topic = ByteString.CopyFrom(topic) } },
            MailboxFrame.BodyOneofCase.Subscribed,
            cancellationToken).ConfigureAwait(false);
        return answer.Subscribed.LatestCursor;
    }

    /// <summary>Tells the relay everything up to the cursor arrived (and is durable here).</summary>
    public async Task AckAsync(byte[] topic, ulong cursor, CancellationToken cancellationToken) =>
        await RequestAsync(
            new MailboxFrame { Ack = new Ack { Topic = ByteString.CopyFrom(topic), Cursor = cursor } },
            MailboxFrame.BodyOneofCase.Acked,
            cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Closing a connection that is already broken: nothing to tell the relay.
            }
        }

        await _reader.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        _socket.Dispose();
        _sendGate.Dispose();
        _stop.Dispose();
        Fail(new MailboxException("closed", "the mailbox connection was closed"));
    }

    private async Task<MailboxFrame> RequestAsync(MailboxFrame request, MailboxFrame.BodyOneofCase answer, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<MailboxFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var sentAt = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            lock (_gate)
            {
                if (_failure is not null)
                {
                    throw _failure;
                }

                if (!_waiting.TryGetValue(answer, out var queue))
                {
                    queue = new Queue<TaskCompletionSource<MailboxFrame>>();
                    _waiting[answer] = queue;
                }

                queue.Enqueue(done);
                _order.Enqueue(done);
            }

            await SendFrameAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }

        var reply = await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        RoundTrip = System.Diagnostics.Stopwatch.GetElapsedTime(sentAt);
        return reply;
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var frame = await ReceiveFrameAsync(_stop.Token).ConfigureAwait(false);
                Dispatch(frame);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or MailboxException or InvalidProtocolBufferException or ObjectDisposedException)
        {
            Fail(ex as MailboxException ?? new MailboxException("closed", $"the mailbox connection ended: {ex.Message}"));
        }
    }

    private void Dispatch(MailboxFrame frame)
    {
        if (frame.BodyCase == MailboxFrame.BodyOneofCase.Push)
        {
            Pushed?.Invoke(frame.Push.Topic.ToByteArray(), frame.Push.Cursor, frame.Push.Envelope.ToByteArray());
            return;
        }

        TaskCompletionSource<MailboxFrame>? waiter = null;
        Exception? error = null;
        lock (_gate)
        {
            if (frame.BodyCase == MailboxFrame.BodyOneofCase.Error)
            {
                // The relay answers in order: an error is the answer to the oldest open request.
                error = new MailboxException(frame.Error.Code, frame.Error.Message);
                while (_order.TryDequeue(out var oldest))
                {
                    if (!oldest.Task.IsCompleted)
                    {
                        waiter = oldest;
                        break;
                    }
                }
            }
            else if (_waiting.TryGetValue(frame.BodyCase, out var queue) && queue.TryDequeue(out var next))
            {
                waiter = next;
            }
        }

        if (error is not null)
        {
            waiter?.TrySetException(error);
        }
        else
        {
            waiter?.TrySetResult(frame);
        }
    }

    private void Fail(Exception failure)
    {
        List<TaskCompletionSource<MailboxFrame>> open;
        lock (_gate)
        {
            _failure ??= failure;
            open = [.. _order];
            _order.Clear();
            _waiting.Clear();
        }

        foreach (var waiter in open)
        {
            waiter.TrySetException(failure);
        }
    }

    private async Task SendFrameAsync(MailboxFrame frame, CancellationToken cancellationToken) =>
        await _socket.SendAsync(frame.ToByteArray(), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);

    private async Task<MailboxFrame> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new MailboxException("closed", $"the relay closed the mailbox connection ({result.CloseStatus}: {result.CloseStatusDescription})");
            }

            if (result.MessageType != WebSocketMessageType.Binary)
            {
                throw new MailboxException("protocol", "the relay sent a text frame on the mailbox");
            }

            if (message.Length + result.Count > MaxFrameBytes)
            {
                throw new MailboxException("protocol", $"the relay sent a frame over {MaxFrameBytes} bytes");
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return MailboxFrame.Parser.ParseFrom(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }
}
