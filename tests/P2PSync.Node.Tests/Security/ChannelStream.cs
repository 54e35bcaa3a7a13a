using System.Threading.Channels;

namespace P2PSync.Node.Tests.Security;

/// <summary>
/// One end of an in-memory byte connection: reads what the other end wrote, in order; a completed
/// writer reads as end of stream. Writes are copied, so callers may reuse their buffers.
/// </summary>
internal sealed class ChannelStream : Stream
{
    private readonly ChannelReader<byte[]>? _input;
    private readonly ChannelWriter<byte[]>? _output;
    private ReadOnlyMemory<byte> _current;

    public ChannelStream(ChannelReader<byte[]>? input, ChannelWriter<byte[]>? output)
    {
        _input = input;
        _output = output;
    }

    /// <summary>Two connected ends: what <c>Left</c> writes, <c>Right</c> reads, and back.</summary>
    public static (ChannelStream Left, ChannelStream Right) CreatePair()
    {
        var leftToRight = Channel.CreateUnbounded<byte[]>();
        var rightToLeft = Channel.CreateUnbounded<byte[]>();
        return (new ChannelStream(rightToLeft.Reader, leftToRight.Writer), new ChannelStream(leftToRight.Reader, rightToLeft.Writer));
    }

    /// <summary>A stream that reads exactly <paramref name="bytes"/> then end of stream, and discards writes.</summary>
    public static ChannelStream ReadingOnly(byte[] bytes)
    {
        var channel = Channel.CreateUnbounded<byte[]>();
        channel.Writer.TryWrite(bytes);
        channel.Writer.Complete();
        return new ChannelStream(channel.Reader, null);
    }

    public override bool CanRead => _input is not null;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_input is null)
        {
            return 0;
        }

        while (_current.IsEmpty)
        {
            if (!await _input.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }

            if (_input.TryRead(out var next))
            {
                _current = next;
            }
        }

        var count = Math.Min(buffer.Length, _current.Length);
        _current[..count].CopyTo(buffer);
        _current = _current[count..];
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_output is not null && !_output.TryWrite(buffer.ToArray()))
        {
            throw new IOException("The other end of the in-memory connection is closed.");
        }

        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Ends this side's writing: the other end reads end of stream.</summary>
    public void CompleteWriting() => _output?.TryComplete();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CompleteWriting();
        }

        base.Dispose(disposing);
    }
}
