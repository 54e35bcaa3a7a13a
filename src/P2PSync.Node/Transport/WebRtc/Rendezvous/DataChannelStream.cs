using System.Buffers;
using P2PSync.Node.Transport.WebRtc.Peer;

namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>
/// A byte stream over one reliable, ordered data channel, so <see cref="Security.SecureChannel"/>
/// runs its Noise handshake and frames over WebRTC exactly as over TCP. Writes are gathered until
/// <see cref="FlushAsync(CancellationToken)"/> (the secure channel flushes once per message) and
/// leave as binary messages of at most the peer's max-message-size; reads hand out received
/// messages byte by byte, so message boundaries do not matter. End of stream = the channel closed.
/// </summary>
internal sealed class DataChannelStream : Stream
{
    /// <summary>Largest data channel message we send, whatever the peer would take: big enough for a full Noise frame, small enough not to hog the association.</summary>
    private const int MaxChunk = 64 * 1024;

    private readonly DataChannel _channel;
    private readonly ArrayBufferWriter<byte> _pendingOut = new();
    private ReadOnlyMemory<byte> _pendingIn;
    private bool _ended;
    private bool _disposed;

    public DataChannelStream(DataChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (_pendingIn.IsEmpty)
        {
            if (_ended || buffer.IsEmpty)
            {
                return 0;
            }

            if (await _channel.ReceiveAsync(cancellationToken).ConfigureAwait(false) is not { } message)
            {
                _ended = true;
                return 0;
            }

            _pendingIn = message.Data;
        }

        var count = Math.Min(buffer.Length, _pendingIn.Length);
        _pendingIn.Span[..count].CopyTo(buffer.Span);
        _pendingIn = _pendingIn[count..];
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _pendingOut.Write(buffer.Span);
        return _pendingOut.WrittenCount >= MaxChunk ? new ValueTask(SendPendingAsync(cancellationToken)) : ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => SendPendingAsync(cancellationToken);

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await _channel.CloseAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Already closed or the association is gone: nothing left to tell the peer.
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    private async Task SendPendingAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var chunk = Math.Max(1, Math.Min(MaxChunk, _channel.MaxMessageSize));
        var pending = _pendingOut.WrittenMemory;
        try
        {
            for (var offset = 0; offset < pending.Length; offset += chunk)
            {
                await _channel.SendAsync(pending.Slice(offset, Math.Min(chunk, pending.Length - offset)), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _pendingOut.ResetWrittenCount();
        }
    }
}
