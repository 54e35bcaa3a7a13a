using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using P2PSync.Relay.Metrics;

namespace P2PSync.Relay.Signalling;

/// <summary>
/// One client on /signal: a receive loop that decodes and applies its messages, and a send loop
/// that drains its bounded outbox. Every way the relay ends the connection goes through
/// <see cref="Close"/>, which records the first reason, stops the outbox and lets the send loop
/// write the close frame, so only the send loop ever sends (WebSocket allows one sender at a time).
/// A client that does not read (slow consumer) or does not answer the close gets the socket
/// aborted after <see cref="CloseHandshakeTimeout"/>, so no connection outlives its close by more.
/// </summary>
internal sealed class SignalConnection : ISignalSubscriber
{
    private const string Source = "signal";

    // An immutable constant frame, shared by every connection.
    private static readonly ReadOnlyMemory<byte> PongFrame = "{\"type\":\"pong\"}"u8.ToArray();

    // From the moment either side starts closing, the connection gets this long to finish the handshake.
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly ISignalFanout _fanout;
    private readonly SignalOptions _options;
    private readonly RelayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Channel<ReadOnlyMemory<byte>> _outbox;
    private readonly HashSet<string> _topics = new(StringComparer.Ordinal);
    private readonly SignalMessageBudget _budget;
    // Cancelled (and the socket aborted) when the close handshake overruns; never disposed, because
    // a late timer may still cancel it. Only the close frames wait on it: sends and receives pass
    // no token and are stopped by WebSocket.Abort instead, which is what a token does to a
    // ManagedWebSocket anyway, and a cancellable token would cost every message a registration and
    // ManagedWebSocket's slower send path (its fast path is only for a token that cannot be cancelled).
    private readonly CancellationTokenSource _abort = new();
    private ITimer? _abortTimer;
    private int _closeReason = -1;
    private volatile bool _finished;
    // Set before the outbox is completed because the client left, so a late delivery is not taken for a full queue.
    private volatile bool _leaving;
    private long _lastMessage;
    private ITimer? _idleTimer;

    public SignalConnection(WebSocket socket, ISignalFanout fanout, SignalOptions options, RelayMetrics metrics, TimeProvider time, ILogger log)
    {
        _socket = socket;
        _fanout = fanout;
        _options = options;
        _metrics = metrics;
        _time = time;
        _log = log;
        _budget = new SignalMessageBudget(time, options.MessagesPerSecond, options.MessageBurst);
        _outbox = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(Math.Max(1, options.SendQueueCapacity))
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
            // Continuations stay asynchronous on purpose: sending on the publisher's thread
            // (synchronous continuations) was measured slower at 10 and 100 receivers (each frame
            // then flushes alone; a send loop that wakes later finds several frames and Kestrel
            // writes them in one syscall) and no faster at one (bench/results/relay-signal.md).
        });
    }

    /// <summary>The reason the relay closed this connection, or null while open or when the client closed it.</summary>
    public SignalCloseReason? CloseReason
    {
        get
        {
            var value = Volatile.Read(ref _closeReason);
            return value < 0 ? null : (SignalCloseReason)value;
        }
    }

    /// <summary>Serves the connection until either side closes it; never throws for client behaviour.</summary>
    public async Task RunAsync(CancellationToken relayStopping)
    {
        _metrics.Gauge("relay_signal_connections", "Open /signal WebSocket connections.", 1);
        _metrics.Count("relay_signal_connections_total", "/signal WebSocket connections accepted.");
        using var stopping = relayStopping.Register(() => Close(SignalCloseReason.ShuttingDown));
        _lastMessage = _time.GetTimestamp();
        using var idle = _idleTimer = _time.CreateTimer(static state => ((SignalConnection)state!).CheckIdle(), this, _options.IdleTimeout, Timeout.InfiniteTimeSpan);
        var sending = SendLoopAsync();
        try
        {
            await ReceiveLoopAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client vanished or the close handshake overran; either way the connection is over.
            _log.LogDebug("signal connection ended: {Error}", error.GetType().Name);
        }
        finally
        {
            foreach (var topic in _topics)
            {
                _fanout.Unsubscribe(topic, this);
            }

            _topics.Clear();
            ArmAbort();
            _leaving = true;
            _outbox.Writer.TryComplete();
            await sending.ConfigureAwait(false);
            _finished = true;
            _socket.Abort();
            Interlocked.Exchange(ref _abortTimer, null)?.Dispose();
            _metrics.Gauge("relay_signal_connections", "Open /signal WebSocket connections.", -1);
        }
    }

    public void Deliver(ReadOnlyMemory<byte> frame)
    {
        if (!_outbox.Writer.TryWrite(frame) && CloseReason is null && !_leaving)
        {
            // TryWrite fails when the queue is full or already completed; full means the client reads too slowly.
            Close(SignalCloseReason.SlowConsumer);
        }
    }

    /// <summary>Ends the connection for <paramref name="reason"/>; the first reason wins, later calls do nothing.</summary>
    public void Close(SignalCloseReason reason)
    {
        if (_finished || Interlocked.CompareExchange(ref _closeReason, (int)reason, -1) != -1)
        {
            return;
        }

        _metrics.CountReject(Source, reason.Label());
        _log.LogInformation("closing signal connection: {Reason}", reason.Label());
        ArmAbort();
        _outbox.Writer.TryComplete();
    }

    private void ArmAbort()
    {
        if (Volatile.Read(ref _abortTimer) is not null || _finished)
        {
            return;
        }

        var timer = _time.CreateTimer(static state => ((SignalConnection)state!).AbortSocket(), this, CloseHandshakeTimeout, Timeout.InfiniteTimeSpan);
        if (Interlocked.CompareExchange(ref _abortTimer, timer, null) is not null)
        {
            timer.Dispose();
        }
    }

    // Ends every pending and later send and receive at once (they fail), and the close handshake.
    private void AbortSocket()
    {
        _abort.Cancel();
        _socket.Abort();
    }

    private async Task ReceiveLoopAsync()
    {
        while (CloseReason is null)
        {
            // Wait for data without a buffer (a zero-byte read), so an idle connection holds none.
            var peek = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
            if (peek.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(4096);
            try
            {
                var length = 0;
                var result = peek;
                while (!result.EndOfMessage)
                {
                    if (length == buffer.Length)
                    {
                        buffer = Grow(buffer);
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    length += result.Count;
                    if (length > _options.MaxMessageBytes)
                    {
                        Close(SignalCloseReason.MessageTooBig);
                        return;
                    }
                }

                Volatile.Write(ref _lastMessage, _time.GetTimestamp());
                _metrics.Count("relay_signal_messages_in_total", "Messages received on /signal.");
                _metrics.Count("relay_signal_bytes_in_total", "Bytes received on /signal.", length);
                if (!_budget.TryTake())
                {
                    Close(SignalCloseReason.RateLimited);
                    return;
                }

                // Text and binary frames alike carry JSON, as y-webrtc's server reads both.
                Apply(buffer.AsSpan(0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    // Runs when the idle timer fires: closes the connection if it has been silent for the whole
    // timeout, or re-arms the timer for the rest of it. Cheaper than resetting a timer per message.
    private void CheckIdle()
    {
        var silent = _time.GetElapsedTime(Volatile.Read(ref _lastMessage));
        if (silent >= _options.IdleTimeout)
        {
            Close(SignalCloseReason.Idle);
            return;
        }

        try
        {
            _idleTimer?.Change(_options.IdleTimeout - silent, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The connection ended while the timer fired.
        }
    }

    private static byte[] Grow(byte[] buffer)
    {
        var grown = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.CopyTo(grown, 0);
        ArrayPool<byte>.Shared.Return(buffer);
        return grown;
    }

    private void Apply(ReadOnlySpan<byte> message)
    {
        var textProblem = SignalTextCheck.Check(message);
        if (textProblem != SignalIgnoreReason.None)
        {
            Ignore(textProblem);
            return;
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(message);
            document = JsonDocument.ParseValue(ref reader);
            // ParseValue reads one value; trailing non-whitespace makes the text malformed, as JSON.parse says.
            if (reader.Read())
            {
                document.Dispose();
                Ignore(SignalIgnoreReason.MalformedJson);
                return;
            }
        }
        catch (JsonException)
        {
            Ignore(SignalIgnoreReason.MalformedJson);
            return;
        }

        using (document)
        {
            var request = SignalRequestParser.Parse(document.RootElement);
            switch (request.Kind)
            {
                case SignalRequestKind.Subscribe:
                    Subscribe(request.Topics);
                    break;
                case SignalRequestKind.Unsubscribe:
                    foreach (var topic in request.Topics)
                    {
                        if (_topics.Remove(topic))
                        {
                            _fanout.Unsubscribe(topic, this);
                        }
                    }

                    break;
                case SignalRequestKind.Publish:
                    _fanout.Publish(request.Topic!, message, request.Message);
                    break;
                case SignalRequestKind.Ping:
                    Deliver(PongFrame);
                    break;
                default:
                    Ignore(request.IgnoreReason);
                    break;
            }
        }
    }

    private void Subscribe(IReadOnlyList<string> topics)
    {
        foreach (var topic in topics)
        {
            if (Encoding.UTF8.GetByteCount(topic) > _options.MaxTopicBytes)
            {
                Close(SignalCloseReason.TopicTooLong);
                return;
            }

            if (_topics.Contains(topic))
            {
                continue;
            }

            if (_topics.Count >= _options.MaxTopicsPerConnection)
            {
                Close(SignalCloseReason.TooManyTopics);
                return;
            }

            _topics.Add(topic);
            _fanout.Subscribe(topic, this);
        }
    }

    private void Ignore(SignalIgnoreReason reason)
    {
        _metrics.CountReject(Source, reason.Label());
        _log.LogDebug("ignored signal message: {Reason}", reason.Label());
    }

    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (var frame in _outbox.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (CloseReason is SignalCloseReason.SlowConsumer)
                {
                    break;
                }

                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            }

            await CloseOutputAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone or stopped reading; there is nobody left to send to.
            AbortSocket();
        }
    }

    private async Task CloseOutputAsync()
    {
        var reason = CloseReason;
        if (_socket.State == WebSocketState.CloseReceived)
        {
            // The client closed first: answer its close frame.
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, _abort.Token).ConfigureAwait(false);
            return;
        }

        if (reason is { } why && _socket.State == WebSocketState.Open)
        {
            // The receive loop then waits for the client's answering close, at most until the abort timer fires.
            await _socket.CloseOutputAsync(why.Status(), why.Description(), _abort.Token).ConfigureAwait(false);
        }
    }
}
