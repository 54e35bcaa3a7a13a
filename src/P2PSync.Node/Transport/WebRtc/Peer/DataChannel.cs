using System.Threading.Channels;

namespace P2PSync.Node.Transport.WebRtc.Peer;

/// <summary>
/// One data channel of a <see cref="PeerConnection"/> (RFC 8831): messages in order (or not, by its
/// options), text or binary, each at most <see cref="MaxMessageSize"/> bytes. Sends go through the
/// connection's serialised SCTP path; received messages wait in an unbounded queue for
/// <see cref="ReceiveAsync"/> (SCTP's receive window is what limits the peer). State changes are
/// made only by the owning connection, under its lock.
/// </summary>
internal sealed class DataChannel
{
    private readonly PeerConnection _owner;
    private readonly Channel<DataChannelMessage> _inbox = Channel.CreateUnbounded<DataChannelMessage>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state = (int)DataChannelState.Connecting;
    private int _id = -1;

    internal DataChannel(PeerConnection owner, string label, DataChannelOptions options)
    {
        _owner = owner;
        Label = label;
        Options = options;

        // A channel closed before it opened faults Opened; nobody may be waiting for it.
        _opened.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>The SCTP stream id; 0 until <see cref="HasId"/> (ours get theirs once the DTLS role is known).</summary>
    public ushort Id => (ushort)Math.Max(0, Volatile.Read(ref _id));

    public bool HasId => Volatile.Read(ref _id) >= 0;

    public string Label { get; }

    public string Protocol => Options.Protocol;

    public bool Ordered => Options.Ordered;

    public DataChannelOptions Options { get; }

    public DataChannelState State => (DataChannelState)Volatile.Read(ref _state);

    /// <summary>Completes when the channel opens; faults with <see cref="PeerConnectionException"/> if it closes first.</summary>
    public Task Opened => _opened.Task;

    /// <summary>Completes when the channel is closed (by either side, or with the connection).</summary>
    public Task Closed => _closed.Task;

    /// <summary>
    /// Bytes sent and not yet acknowledged on the whole association (SCTP keeps one send buffer for
    /// every stream), which is what <see cref="SendAsync(ReadOnlyMemory{byte}, CancellationToken)"/> waits on.
    /// </summary>
    public long BufferedAmount => _owner.BufferedAmount;

    /// <summary>The largest message the peer accepts: its a=max-message-size, 65536 when it gave none.</summary>
    public int MaxMessageSize => _owner.RemoteMaxMessageSize;

    /// <summary>Sends a text message (UTF-8; an empty string is a legal message).</summary>
    /// <exception cref="ArgumentException">Longer than <see cref="MaxMessageSize"/> in UTF-8, or not valid Unicode.</exception>
    /// <exception cref="TransportClosedException">The channel or the connection is closing or closed.</exception>
    public ValueTask SendAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _owner.SendAsync(this, text, default, cancellationToken);
    }

    /// <summary>Sends a binary message (possibly empty); waits while the send buffer is above the high-water mark.</summary>
    /// <exception cref="ArgumentException">Longer than <see cref="MaxMessageSize"/>.</exception>
    /// <exception cref="TransportClosedException">The channel or the connection is closing or closed.</exception>
    public ValueTask SendAsync(ReadOnlyMemory<byte> binary, CancellationToken cancellationToken) =>
        _owner.SendAsync(this, null, binary, cancellationToken);

    /// <summary>The next message, or null once the channel is closed and every message before the close has been read.</summary>
    public async ValueTask<DataChannelMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _inbox.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Starts the close (a reset of our outgoing stream, RFC 8831 §6.7); <see cref="Closed"/> completes when both halves are reset.</summary>
    public ValueTask CloseAsync()
    {
        _owner.CloseChannel(this);
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"data channel '{Label}' ({(HasId ? Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no id")}, {State})";

    internal void AssignId(ushort id) => Volatile.Write(ref _id, id);

    internal void MarkOpen()
    {
        if (Interlocked.CompareExchange(ref _state, (int)DataChannelState.Open, (int)DataChannelState.Connecting) == (int)DataChannelState.Connecting)
        {
            _opened.TrySetResult();
        }
    }

    internal void MarkClosing()
    {
        if (State is DataChannelState.Connecting or DataChannelState.Open)
        {
            Volatile.Write(ref _state, (int)DataChannelState.Closing);
        }
    }

    internal void MarkClosed(string why)
    {
        Volatile.Write(ref _state, (int)DataChannelState.Closed);
        _opened.TrySetException(new PeerConnectionException($"{this} closed before it opened: {why}"));
        _inbox.Writer.TryComplete();
        _closed.TrySetResult();
    }

    internal void Deliver(DataChannelMessage message) => _inbox.Writer.TryWrite(message);
}
