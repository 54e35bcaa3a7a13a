using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace P2PSync.Node.Transport.WebRtc.Signalling;

/// <summary>
/// A client of our relay's <c>/signal</c> endpoint, which speaks y-webrtc's signalling protocol
/// (docs/protocol/relay-signal.md): subscribe to topics, publish JSON to a topic, read what others
/// published. It keeps one WebSocket open, pings it, and when it drops reopens it with a growing
/// backoff and subscribes again to every topic asked for, so callers only see
/// <see cref="StateChanged"/> go to <see cref="SignallingState.Disconnected"/> and back.
/// </summary>
/// <remarks>
/// Delivery is best effort, like the relay's own: a publish queued while the connection is down is
/// sent after the reconnect, but one in flight when the socket breaks is lost, and the relay keeps
/// nothing for subscribers that join later. Protocols on top (our rendezvous, y-webrtc) announce
/// themselves again on <see cref="SignallingState.Connected"/>. All sends go through one queue and
/// one writer task per connection, so frames leave in the order they were asked for.
/// </remarks>
internal sealed class SignallingClient : IAsyncDisposable
{
    private readonly SignallingClientOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _topics = new(StringComparer.Ordinal);
    private readonly Channel<byte[]> _outgoing;
    private readonly Channel<SignalMessage> _incoming;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private Task _loop = Task.CompletedTask;
    private Uri? _uri;
    private string? _lastFailure;
    private long _connections;
    private long _malformed;
    private long _dropped;
    private long _received;
    private long _sent;
    private long _lastPingSent;
    private bool _disposed;

    // True while a connection is open and has sent its subscribe-all: later subscribes must go out
    // by themselves; before that the subscribe-all of the next connection carries them.
    private bool _live;

    /// <param name="random">Jitter of the reconnect backoff (seeded by the caller; used by the connection loop only).</param>
    public SignallingClient(SignallingClientOptions options, TimeProvider time, Random random, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SendQueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReceiveQueueCapacity, 1);
        _options = options;
        _time = time;
        _random = random;
        _logger = logger ?? NullLogger.Instance;
        _outgoing = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(options.SendQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _incoming = Channel.CreateBounded<SignalMessage>(
            new BoundedChannelOptions(options.ReceiveQueueCapacity) { SingleReader = false, SingleWriter = true, FullMode = BoundedChannelFullMode.DropOldest },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>Raised on every state change (on the connection loop's thread; keep handlers short).</summary>
    public event Action<SignallingState>? StateChanged;

    public SignallingState State { get; private set; } = SignallingState.New;

    /// <summary>The relay's /signal URL, once <see cref="ConnectAsync"/> was called.</summary>
    public Uri? Url => _uri;

    /// <summary>The latest ping-to-pong round trip, or null before the first pong.</summary>
    public TimeSpan? RoundTrip { get; private set; }

    public SignallingCounters Counters => new(
        Interlocked.Read(ref _connections), Interlocked.Read(ref _malformed), Interlocked.Read(ref _dropped), Interlocked.Read(ref _received), Interlocked.Read(ref _sent));

    /// <summary>ws(s)://host:port/signal for a relay's http(s) or ws(s) base URL.</summary>
    public static Uri SignalUri(Uri relay)
    {
        ArgumentNullException.ThrowIfNull(relay);
        var scheme = relay.Scheme switch
        {
            "http" or "ws" => "ws",
            "https" or "wss" => "wss",
            _ => throw new ArgumentException($"a relay URL is http(s):// or ws(s)://, not {relay.Scheme}://", nameof(relay)),
        };
        return new UriBuilder(relay) { Scheme = scheme, Path = relay.AbsolutePath.TrimEnd('/') + "/signal" }.Uri;
    }

    /// <summary>
    /// Starts the connection loop to <paramref name="signalUri"/> (ws:// or wss://, e.g. from
    /// <see cref="SignalUri"/>) and waits until the first connection is open. Failed attempts are
    /// retried with backoff meanwhile; when <paramref name="cancellationToken"/> fires first this
    /// throws a <see cref="SignallingException"/> naming the last failure, and the loop keeps
    /// trying in the background until the client is disposed.
    /// </summary>
    public async Task ConnectAsync(Uri signalUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signalUri);
        if (signalUri.Scheme is not ("ws" or "wss"))
        {
            throw new ArgumentException($"the signalling URL is ws:// or wss://, not {signalUri}", nameof(signalUri));
        }

        Task connected;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_uri is not null)
            {
                throw new InvalidOperationException($"already connecting to {_uri}");
            }

            _uri = signalUri;
            connected = _connected.Task;
            _loop = Task.Run(RunAsync, CancellationToken.None);
        }

        try
        {
            await connected.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new SignallingException($"could not reach the relay's signalling at {signalUri}: {_lastFailure ?? "no answer yet"} (still retrying)", ex);
        }
    }

    /// <summary>Joins a topic (now if connected, and again after every reconnect).</summary>
    /// <exception cref="ArgumentException">Empty, or longer than the relay allows.</exception>
    /// <exception cref="SignallingException">Too many topics, the send queue is full, or the client is closed.</exception>
    public ValueTask SubscribeAsync(string topic, CancellationToken cancellationToken = default)
    {
        CheckTopic(topic);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_topics.Contains(topic))
            {
                return ValueTask.CompletedTask;
            }

            if (_topics.Count >= _options.MaxTopics)
            {
                throw new SignallingException($"at most {_options.MaxTopics} topics at once (the relay closes a connection with more)");
            }

            _topics.Add(topic);
            return _live ? EnqueueAsync(SignalFrameWriter.Subscribe([topic])) : ValueTask.CompletedTask;
        }
    }

    /// <summary>Leaves a topic; leaving one never joined does nothing.</summary>
    public ValueTask UnsubscribeAsync(string topic, CancellationToken cancellationToken = default)
    {
        CheckTopic(topic);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _topics.Remove(topic) && _live ? EnqueueAsync(SignalFrameWriter.Unsubscribe([topic])) : ValueTask.CompletedTask;
        }
    }

    /// <summary>Publishes <paramref name="data"/> (any JSON value) to every subscriber of the topic, this client too if subscribed.</summary>
    /// <exception cref="ArgumentException">Bad topic, no data, or a frame bigger than the relay accepts.</exception>
    /// <exception cref="SignallingException">The send queue is full (the relay has been unreachable for a while) or the client is closed.</exception>
    public ValueTask PublishAsync(string topic, JsonElement data, CancellationToken cancellationToken = default)
    {
        CheckTopic(topic);
        if (data.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("a publish needs a JSON value", nameof(data));
        }

        var frame = SignalFrameWriter.Publish(topic, data);
        if (frame.Length > _options.MaxMessageBytes)
        {
            throw new ArgumentException($"a publish of {frame.Length} bytes exceeds the relay's {_options.MaxMessageBytes}", nameof(data));
        }

        return EnqueueAsync(frame);
    }

    /// <summary>
    /// Every publish the relay forwards on a subscribed topic, in arrival order, across reconnects,
    /// until the client is disposed. One reader at a time is the intended use.
    /// </summary>
    public async IAsyncEnumerable<SignalMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var message in _incoming.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _outgoing.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        SetState(SignallingState.Closed);
        _incoming.Writer.TryComplete();
        _connected.TrySetCanceled();
        _stop.Dispose();
        _sendGate.Dispose();
    }

    private void CheckTopic(string topic)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (Encoding.UTF8.GetByteCount(topic) > _options.MaxTopicBytes)
        {
            throw new ArgumentException($"a topic is at most {_options.MaxTopicBytes} UTF-8 bytes", nameof(topic));
        }
    }

    private ValueTask EnqueueAsync(byte[] frame)
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(SignallingClient));
        }

        // Never waits: a full queue means the relay has been unreachable for a long time, and
        // waiting would only pile up signalling that is stale by the time it could leave.
        if (!_outgoing.Writer.TryWrite(frame))
        {
            throw new SignallingException($"the signalling send queue is full ({_options.SendQueueCapacity} frames; relay {_uri?.ToString() ?? "not connected"} unreachable?)");
        }

        return ValueTask.CompletedTask;
    }

    private void SetState(SignallingState state)
    {
        if (State == state)
        {
            return;
        }

        State = state;
        try
        {
            StateChanged?.Invoke(state);
        }
        catch (Exception ex)
        {
            // A subscriber's bug must not end the connection loop.
            _logger.LogError(ex, "a signalling state handler failed");
        }
    }

    private async Task RunAsync()
    {
        var failures = 0;
        while (!_stop.IsCancellationRequested)
        {
            SetState(SignallingState.Connecting);
            WebSocket? socket = null;
            try
            {
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
                {
                    timeout.CancelAfter(_options.ConnectTimeout);
                    try
                    {
                        socket = await OpenAsync(_uri!, timeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                    {
                        throw new TimeoutException($"no WebSocket within {_options.ConnectTimeout.TotalSeconds:0.#} s");
                    }
                }

                Interlocked.Increment(ref _connections);
                failures = 0;
                await ServeAsync(socket).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or TimeoutException or OperationCanceledException or HttpRequestException or System.Net.Sockets.SocketException or SignallingException)
            {
                _lastFailure = ex.Message;
                _logger.LogInformation("signalling {Url}: {Reason}", _uri, ex.Message);
            }
            finally
            {
                socket?.Abort();
                socket?.Dispose();
            }

            if (_stop.IsCancellationRequested)
            {
                break;
            }

            SetState(SignallingState.Disconnected);
            try
            {
                await Task.Delay(Backoff(failures++), _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Exponential backoff with ±25 % jitter, so many clients of a restarted relay do not come back in one burst.</summary>
    private TimeSpan Backoff(int failures)
    {
        var doubled = _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 16));
        var capped = Math.Min(doubled, _options.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.75 + (_random.NextDouble() * 0.5)));
    }

    private async Task<WebSocket> OpenAsync(Uri uri, CancellationToken cancellationToken)
    {
        if (_options.Connector is { } connector)
        {
            return await connector(uri, cancellationToken).ConfigureAwait(false);
        }

        var socket = new ClientWebSocket();
        try
        {
            // Our own pings carry liveness; protocol-level keep-alives would only add traffic.
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>One open connection: subscribe again, then read, write and ping until it ends.</summary>
    private async Task ServeAsync(WebSocket socket)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        string[] topics;
        lock (_gate)
        {
            topics = [.. _topics];
            _live = true;
        }

        if (topics.Length > 0)
        {
            await SendFrameAsync(socket, SignalFrameWriter.Subscribe(topics), connection.Token).ConfigureAwait(false);
        }

        var lastHeard = _time.GetTimestamp();
        SetState(SignallingState.Connected);
        _connected.TrySetResult();
        var writer = WriteLoopAsync(socket, connection.Token);
        var pinger = PingLoopAsync(socket, () => Volatile.Read(ref lastHeard), connection.Token);
        try
        {
            var buffer = new byte[4096];
            while (true)
            {
                var frame = await ReceiveFrameAsync(socket, buffer, connection.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    throw new WebSocketException($"the relay closed the signalling connection ({socket.CloseStatus}: {socket.CloseStatusDescription})");
                }

                Volatile.Write(ref lastHeard, _time.GetTimestamp());
                Take(frame);
            }
        }
        finally
        {
            lock (_gate)
            {
                _live = false;
            }

            await connection.CancelAsync().ConfigureAwait(false);
            socket.Abort();
            await Task.WhenAll(writer, pinger).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private void Take(byte[] bytes)
    {
        var frame = SignalFrameReader.Read(bytes);
        switch (frame.Kind)
        {
            case SignalFrameKind.Publish:
                Interlocked.Increment(ref _received);
                _incoming.Writer.TryWrite(frame.Message!);
                break;
            case SignalFrameKind.Pong:
                if (Interlocked.Exchange(ref _lastPingSent, 0) is var sent and not 0)
                {
                    RoundTrip = _time.GetElapsedTime(sent);
                }

                break;
            case SignalFrameKind.Malformed:
                Interlocked.Increment(ref _malformed);
                _logger.LogDebug("signalling {Url}: skipped a frame: {Problem}", _uri, frame.Problem);
                break;
        }
    }

    private async Task SendFrameAsync(WebSocket socket, byte[] frame, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _sent);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private async Task WriteLoopAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_outgoing.Reader.TryRead(out var frame))
                {
                    await SendFrameAsync(socket, frame, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // The connection ended; the reader notices and the loop reconnects.
            socket.Abort();
        }
    }

    private async Task PingLoopAsync(WebSocket socket, Func<long> lastHeard, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(_options.PingInterval, _time);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_time.GetElapsedTime(lastHeard()) > _options.DeadAfter)
                {
                    _lastFailure = $"nothing heard for {_options.DeadAfter.TotalSeconds:0.#} s";
                    _logger.LogInformation("signalling {Url}: {Reason}; reconnecting", _uri, _lastFailure);
                    socket.Abort();
                    return;
                }

                Interlocked.CompareExchange(ref _lastPingSent, _time.GetTimestamp(), 0);
                await SendFrameAsync(socket, SignalFrameWriter.Ping(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }

    /// <summary>One whole message, an empty array for one that was too big (its bytes are read and dropped), or null once the relay closed.</summary>
    private async Task<byte[]?> ReceiveFrameAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        var tooBig = false;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            if (!tooBig && message.Length + result.Count > _options.MaxMessageBytes)
            {
                tooBig = true;
            }

            if (!tooBig)
            {
                message.Write(buffer, 0, result.Count);
            }

            if (result.EndOfMessage)
            {
                if (tooBig)
                {
                    // Returned empty: the reader classifies it as malformed and counts it once.
                    _logger.LogDebug("signalling {Url}: skipped a frame over {Limit} bytes", _uri, _options.MaxMessageBytes);
                    return [];
                }

                return message.ToArray();
            }
        }
    }
}
