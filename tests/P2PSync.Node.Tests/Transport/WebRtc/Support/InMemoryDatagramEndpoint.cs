using System.Threading.Channels;
using P2PSync.Node.Transport.WebRtc;

namespace P2PSync.Node.Tests.Transport.WebRtc.Support;

/// <summary>One end of an <see cref="InMemoryDatagramLink"/>: an unbounded inbox plus hooks for tests.</summary>
internal sealed class InMemoryDatagramEndpoint : IDatagramTransport
{
    private readonly InMemoryDatagramLink _link;
    private readonly Channel<byte[]> _inbox = Channel.CreateUnbounded<byte[]>();
    private int _ended;
    private TransportClosedReason _reason;
    private int _sent;
    private int _received;
    private int _oversized;

    internal InMemoryDatagramEndpoint(InMemoryDatagramLink link, string name, int maxDatagramSize)
    {
        _link = link;
        Name = name;
        MaxDatagramSize = maxDatagramSize;
    }

    public event Action<TransportClosedReason>? Closed;

    public string Name { get; }

    public int MaxDatagramSize { get; }

    /// <summary>Sees every datagram this end sends, before the link impairs it (a copy; changing it changes nothing).</summary>
    public Action<byte[]>? OnSend { get; set; }

    /// <summary>Sees every datagram this end hands to its reader, in the order the reader gets them.</summary>
    public Action<byte[]>? OnReceive { get; set; }

    /// <summary>Returns true to drop a datagram this end sends (targeted loss); runs before the impairment.</summary>
    public Func<byte[], bool>? DropWhen { get; set; }

    public int Sent => Volatile.Read(ref _sent);

    public int Received => Volatile.Read(ref _received);

    /// <summary>Datagrams dropped because the reader's buffer was too small.</summary>
    public int Oversized => Volatile.Read(ref _oversized);

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        if (datagram.Length > MaxDatagramSize)
        {
            throw new ArgumentException($"datagram of {datagram.Length} bytes is over {MaxDatagramSize}", nameof(datagram));
        }

        ThrowIfEnded();
        Interlocked.Increment(ref _sent);
        var copy = datagram.ToArray();
        OnSend?.Invoke(copy.ToArray());
        if (DropWhen?.Invoke(copy) != true)
        {
            _link.Carry(this, copy);
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            byte[] datagram;
            try
            {
                datagram = await _inbox.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                throw new TransportClosedException(_reason, $"in-memory link end {Name} closed ({_reason})");
            }

            if (datagram.Length > buffer.Length)
            {
                Interlocked.Increment(ref _oversized);
                continue;
            }

            Interlocked.Increment(ref _received);
            OnReceive?.Invoke(datagram.ToArray());
            datagram.CopyTo(buffer);
            return datagram.Length;
        }
    }

    /// <summary>Puts a datagram in this end's inbox as if the other end had sent it (forgeries, garbage).</summary>
    public void Inject(byte[] datagram) => _inbox.Writer.TryWrite(datagram.ToArray());

    public ValueTask DisposeAsync()
    {
        End(TransportClosedReason.ClosedLocally);
        return ValueTask.CompletedTask;
    }

    internal void Deliver(byte[] datagram) => _inbox.Writer.TryWrite(datagram);

    internal void End(TransportClosedReason reason)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        _reason = reason;
        _inbox.Writer.TryComplete();
        Closed?.Invoke(reason);
    }

    private void ThrowIfEnded()
    {
        if (Volatile.Read(ref _ended) != 0)
        {
            throw new TransportClosedException(_reason, $"in-memory link end {Name} closed ({_reason})");
        }
    }
}
