using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Transport.InMemory;

/// <summary>
/// One end of an in-memory connection. All state is guarded by the owning network's lock; the
/// network decides when messages arrive and when the connection breaks.
/// </summary>
internal sealed class InMemoryConnection : IConnection
{
    private readonly InMemoryNetwork _network;
    private readonly Queue<byte[]> _inbox = new();
    private TaskCompletionSource? _arrival;

    internal InMemoryConnection(InMemoryNetwork network, long linkId, DeviceId localDevice, DeviceId remoteDevice)
    {
        _network = network;
        LinkId = linkId;
        LocalDevice = localDevice;
        RemoteDevice = remoteDevice;
    }

    /// <summary>Identifies the connection pair (both ends share it), for logs and tests.</summary>
    public long LinkId { get; }

    public DeviceId LocalDevice { get; }

    public DeviceId RemoteDevice { get; }

    public string Path => "memory";

    /// <summary>Sending is no longer possible: this end or the other closed or broke the connection.</summary>
    public bool IsBroken
    {
        get
        {
            lock (_network.Gate)
            {
                return SendClosed;
            }
        }
    }

    /// <summary>Everything that will ever arrive has been received: the next receive returns null.</summary>
    public bool IsAtEnd
    {
        get
        {
            lock (_network.Gate)
            {
                return ReceiveClosed && _inbox.Count == 0;
            }
        }
    }

    internal InMemoryConnection Peer { get; set; } = null!;

    /// <summary>Messages this end sent that are still travelling towards <see cref="Peer"/>, oldest first.</summary>
    internal Queue<(long DueTicks, byte[] Message)> InFlight { get; } = new();

    /// <summary>Due time of the newest message in flight from this end (keeps the direction FIFO).</summary>
    internal long LastDueTicks { get; set; }

    /// <summary>Delivers <see cref="InFlight"/> when due; created on first use.</summary>
    internal ITimer? DeliveryTimer { get; set; }

    internal bool SendClosed { get; set; }

    internal bool ReceiveClosed { get; set; }

    /// <summary>After the last message in flight from this end arrives, the peer reaches end of stream.</summary>
    internal bool CloseAfterInFlight { get; set; }

    public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Send(message.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Synchronous send (the in-memory network never blocks a sender).</summary>
    /// <exception cref="IOException">The connection is closed or broke.</exception>
    public void Send(ReadOnlySpan<byte> message) => _network.Send(this, message.ToArray());

    public async ValueTask<byte[]?> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_network.Gate)
            {
                if (_inbox.Count > 0)
                {
                    return _inbox.Dequeue();
                }

                if (ReceiveClosed)
                {
                    return null;
                }

                _arrival ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _arrival.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes the next message if one has arrived, without waiting (for single-threaded,
    /// deterministic simulation pumps). False when none is waiting; see <see cref="IsAtEnd"/>.
    /// </summary>
    public bool TryReceive(out byte[] message)
    {
        lock (_network.Gate)
        {
            if (_inbox.Count > 0)
            {
                message = _inbox.Dequeue();
                return true;
            }

            message = [];
            return false;
        }
    }

    /// <summary>Graceful close: messages already sent still arrive, then the peer sees end of stream.</summary>
    public ValueTask DisposeAsync()
    {
        _network.Close(this);
        return ValueTask.CompletedTask;
    }

    // The methods below run under the network lock.
    internal void Enqueue(byte[] message)
    {
        if (ReceiveClosed)
        {
            return;
        }

        _inbox.Enqueue(message);
        Wake();
    }

    internal void EndOfStream(bool discardUnread)
    {
        ReceiveClosed = true;
        if (discardUnread)
        {
            _inbox.Clear();
        }

        Wake();
    }

    private void Wake()
    {
        var arrival = _arrival;
        _arrival = null;
        arrival?.TrySetResult();
    }
}
