using System.Buffers;
using System.Data.Common;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using Google.Protobuf;
using P2PSync.Protocol.Relay;

namespace P2PSync.Relay.Mailbox;

/// <summary>
/// One /mailbox WebSocket: challenge, authentication, then requests until the client leaves,
/// times out, misbehaves or the relay shuts down. Reading and writing are separate loops; every
/// outgoing frame (replies and pushes from other connections) goes through one bounded queue, so
/// a client that stops reading costs at most SendQueueFrames frames before it is disconnected
/// (close 1008 "slow consumer"). Logs name codes and sizes, never envelope or key bytes.
/// </summary>
internal sealed partial class MailboxConnection : IMailboxSubscriber
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly MailboxDependencies _deps;
    private readonly ILogger _log;
    private readonly Channel<MailboxFrame> _outbound;
    private readonly CancellationTokenSource _readAbort = new();
    private readonly CancellationTokenSource _sendAbort = new();
    private readonly byte[] _nonce = RandomNumberGenerator.GetBytes(RelayAuthSignature.NonceLength);
    private readonly Lock _closeGate = new();
    private WebSocketCloseStatus? _closeStatus;
    private string _closeReason = "";
    private volatile bool _dropQueued;
    private byte[]? _device;
    private string _deviceHex = "";
    private MailboxRequestHandler? _handler;

    public MailboxConnection(WebSocket socket, MailboxDependencies deps)
    {
        _socket = socket;
        _deps = deps;
        _log = deps.LoggerFactory.CreateLogger<MailboxConnection>();
        _outbound = Channel.CreateBounded<MailboxFrame>(new BoundedChannelOptions(Math.Max(1, deps.Options.SendQueueFrames))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of dropping silently
        });
    }

    public async Task RunAsync(CancellationToken relayStopping)
    {
        _deps.Metrics.Gauge(MailboxMetricNames.Connections, MailboxMetricNames.ConnectionsHelp, +1);
        _deps.Nonces.Issue(_nonce);
        // Timeouts and shutdown do not cancel the pending receive (that would abort the socket
        // before the Error and close frame are out): they ask for a close, and only if the client
        // does not answer within CloseGrace is the receive cancelled.
        using var deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _deps.Time);
        deadline.CancelAfter(TimeSpan.FromSeconds(_deps.Options.AuthTimeoutSeconds));
        using var onDeadline = deadline.Token.Register(OnDeadline);
        using var onStopping = relayStopping.Register(() => CloseSoon(WebSocketCloseStatus.EndpointUnavailable, "relay shutting down"));
        Enqueue(new MailboxFrame { Challenge = new Challenge { Nonce = ByteString.CopyFrom(_nonce), RelayId = _deps.Options.RelayId } });
        var writer = Task.Run(WriteLoopAsync);
        try
        {
            await ReadLoopAsync(deadline);
        }
        catch (OperationCanceledException) when (_readAbort.IsCancellationRequested)
        {
            // The client did not answer our close in time (or stopped reading); the socket is aborted.
        }
        catch (WebSocketException exception)
        {
            LogTransportLost(_log, exception.WebSocketErrorCode);
        }
        finally
        {
            _handler?.Dispose();
            _deps.Nonces.Forget(_nonce);
            _outbound.Writer.TryComplete();
            CancelLater(_sendAbort); // a writer stuck on a client that reads nothing gives up after the grace
            await writer;
            await AwaitClientCloseAsync();
            _deps.Metrics.Gauge(MailboxMetricNames.Connections, MailboxMetricNames.ConnectionsHelp, -1);
            _readAbort.Dispose();
            _sendAbort.Dispose();
        }
    }

    private void OnDeadline()
    {
        if (_device is null)
            Refuse(new MailboxRefusal(MailboxErrorCodes.AuthTimeout, "no Auth in time", WebSocketCloseStatus.PolicyViolation));
        else
            _deps.Metrics.CountReject(MailboxMetricNames.Source, "idle_timeout");
        CloseSoon(WebSocketCloseStatus.NormalClosure, "idle timeout");
    }

    private void CloseSoon(WebSocketCloseStatus status, string reason)
    {
        RequestClose(status, reason);
        CancelLater(_readAbort);
    }

    private static void CancelLater(CancellationTokenSource source)
    {
        try
        {
            source.CancelAfter(CloseGrace);
        }
        catch (ObjectDisposedException)
        {
            // The connection already ended.
        }
    }

    /// <summary>A push from another connection's post. Never blocks: a full queue means this client is too slow.</summary>
    public void Deliver(MailboxFrame push)
    {
        if (_outbound.Writer.TryWrite(push)) return;
        if (_closeStatus is not null) return;
        _deps.Metrics.CountReject(MailboxMetricNames.Source, "slow_consumer");
        LogSlowConsumer(_log, _deps.Options.SendQueueFrames);
        _dropQueued = true;
        CloseSoon(WebSocketCloseStatus.PolicyViolation, "slow consumer");
        // A send stuck on a client that reads nothing would hold the close frame back forever.
        CancelLater(_sendAbort);
    }

    private async Task ReadLoopAsync(CancellationTokenSource deadline)
    {
        var cancel = _readAbort.Token;
        var idle = TimeSpan.FromSeconds(_deps.Options.IdleTimeoutSeconds);
        while (_closeStatus is null)
        {
            var (outcome, message) = await WebSocketMessageReader.ReadAsync(_socket, _deps.Options.MaxFrameBytes, cancel);
            switch (outcome)
            {
                case MessageReadOutcome.ClientClosed:
                    RequestClose(WebSocketCloseStatus.NormalClosure, "bye");
                    return;
                case MessageReadOutcome.TooLarge:
                    _deps.Metrics.CountReject(MailboxMetricNames.Source, "frame_too_large");
                    RequestClose(WebSocketCloseStatus.MessageTooBig, $"frame larger than {_deps.Options.MaxFrameBytes} bytes");
                    return;
                case MessageReadOutcome.Text:
                    Refuse(new MailboxRefusal(MailboxErrorCodes.Malformed, "frames are binary protobuf", WebSocketCloseStatus.InvalidMessageType));
                    return;
            }
            try
            {
                _deps.Metrics.Count(MailboxMetricNames.BytesIn, MailboxMetricNames.BytesInHelp, message.Length);
                HandleMessage(message.Span);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(message.Buffer);
            }
            if (_device is not null) deadline.CancelAfter(idle);
        }
    }

    private void HandleMessage(ReadOnlySpan<byte> bytes)
    {
        MailboxFrame frame;
        try
        {
            frame = MailboxFrame.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            Refuse(new MailboxRefusal(MailboxErrorCodes.Malformed, "not a MailboxFrame", WebSocketCloseStatus.InvalidPayloadData));
            return;
        }
        if (frame.BodyCase == MailboxFrame.BodyOneofCase.None)
        {
            Refuse(new MailboxRefusal(MailboxErrorCodes.Malformed, "empty MailboxFrame", WebSocketCloseStatus.InvalidPayloadData));
            return;
        }
        if (_device is null)
        {
            Authenticate(frame);
            return;
        }
        if (frame.BodyCase == MailboxFrame.BodyOneofCase.Auth)
        {
            Refuse(new MailboxRefusal(MailboxErrorCodes.AlreadyAuthenticated, "second Auth", WebSocketCloseStatus.PolicyViolation));
            return;
        }
        if (!_deps.DeviceLimiter.TryAcquire(_deviceHex))
        {
            Refuse(new MailboxRefusal(MailboxErrorCodes.RateLimited, "too many frames from this device; slow down"));
            return;
        }
        MailboxReply reply;
        try
        {
            reply = _handler!.Handle(frame);
        }
        catch (DbException exception)
        {
            // Storage failed (disk full, I/O error): the client is told and disconnected, nothing
            // was acknowledged, and the relay keeps serving others. Only the error kind is logged.
            LogStoreFailure(_log, exception.GetType().Name, exception.ErrorCode);
            Refuse(new MailboxRefusal(MailboxErrorCodes.Unavailable, "storage unavailable; retry later", WebSocketCloseStatus.InternalServerError));
            return;
        }
        if (reply.Refusal is not null) Refuse(reply.Refusal);
        else Enqueue(reply.Frame!);
    }

    private void Authenticate(MailboxFrame frame)
    {
        if (frame.BodyCase != MailboxFrame.BodyOneofCase.Auth)
        {
            Refuse(new MailboxRefusal(MailboxErrorCodes.Unauthenticated, "Auth must come first", WebSocketCloseStatus.PolicyViolation));
            return;
        }
        var key = frame.Auth.DeviceKey.ToByteArray();
        if (!RelayAuthSignature.Verify(key, frame.Auth.Signature.ToByteArray(), _nonce, _deps.Options.RelayId))
        {
            Refuse(new MailboxRefusal(MailboxErrorCodes.BadSignature, "signature does not verify", WebSocketCloseStatus.PolicyViolation));
            return;
        }
        if (!_deps.Nonces.Consume(_nonce))
        {
            Refuse(new MailboxRefusal(MailboxErrorCodes.Replayed, "challenge already used", WebSocketCloseStatus.PolicyViolation));
            return;
        }
        _device = key;
        _deviceHex = Convert.ToHexString(key);
        _handler = new MailboxRequestHandler(_deps, key, this);
        Enqueue(new MailboxFrame { Authenticated = new Authenticated { DeviceKey = frame.Auth.DeviceKey } });
    }

    private void Refuse(MailboxRefusal refusal)
    {
        _deps.Metrics.CountReject(MailboxMetricNames.Source, refusal.Code);
        LogRefusal(_log, refusal.Code);
        Enqueue(new MailboxFrame { Error = new Error { Code = refusal.Code, Message = refusal.Message } });
        if (refusal.Closes is { } status) RequestClose(status, refusal.Code);
    }

    private void Enqueue(MailboxFrame frame)
    {
        // Replies share the bounded queue with pushes; a client that floods requests without
        // reading the replies fills it the same way a slow subscriber does.
        if (!_outbound.Writer.TryWrite(frame)) Deliver(frame);
    }

    private void RequestClose(WebSocketCloseStatus status, string reason)
    {
        lock (_closeGate)
        {
            if (_closeStatus is not null) return;
            _closeStatus = status;
            _closeReason = reason;
        }
        _outbound.Writer.TryComplete();
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var frame in _outbound.Reader.ReadAllAsync())
            {
                if (_dropQueued) break;
                var bytes = frame.ToByteArray();
                await _socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, _sendAbort.Token);
                _deps.Metrics.Count(MailboxMetricNames.BytesOut, MailboxMetricNames.BytesOutHelp, bytes.Length);
            }
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var grace = CancellationTokenSource.CreateLinkedTokenSource(_sendAbort.Token);
                grace.CancelAfter(CloseGrace);
                await _socket.CloseOutputAsync(_closeStatus ?? WebSocketCloseStatus.NormalClosure, _closeReason, grace.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone or stuck; nothing more can be said to it.
            _socket.Abort();
        }
    }

    /// <summary>After our close frame, give the client a moment to answer with its own (a clean close handshake).</summary>
    private async Task AwaitClientCloseAsync()
    {
        if (_socket.State != WebSocketState.CloseSent) return;
        using var grace = new CancellationTokenSource(CloseGrace, _deps.Time);
        var scratch = new byte[256];
        try
        {
            while (_socket.State == WebSocketState.CloseSent)
            {
                var result = await _socket.ReceiveAsync(scratch, grace.Token);
                if (result.MessageType == WebSocketMessageType.Close) return;
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            _socket.Abort();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "mailbox refused a frame: {Code}")]
    private static partial void LogRefusal(ILogger logger, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mailbox client too slow: send queue of {Frames} frames full, disconnecting")]
    private static partial void LogSlowConsumer(ILogger logger, int frames);

    [LoggerMessage(Level = LogLevel.Error, Message = "mailbox store failed: {Kind} {Code}")]
    private static partial void LogStoreFailure(ILogger logger, string kind, int code);

    [LoggerMessage(Level = LogLevel.Debug, Message = "mailbox connection lost: {Error}")]
    private static partial void LogTransportLost(ILogger logger, WebSocketError error);
}
