using Org.BouncyCastle.Crypto.Tls;

namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's blocking <see cref="DatagramTransport"/> over our async <see cref="IDatagramTransport"/>.
/// A pump task reads the lower transport from the moment the session exists, so DTLS datagrams
/// that arrive before the SDP answer fixes our role wait in the queue (notes §2.6). The queue is
/// bounded and drops its oldest datagram when full: BC retransmits whole flights, and a stale
/// duplicate is worth less than a fresh one. Every datagram passes <see cref="DtlsRecordPrecheck"/>
/// on its way to BC.
/// </summary>
internal sealed class BcDatagramAdapter : DatagramTransport
{
    // Big enough for any UDP payload: Chromium's first ClientHello record alone is 1200 bytes, and
    // a limit below 1500 makes BC cut fragmented hellos short (notes §0.1).
    public const int ReceiveLimit = 65535;

    private readonly IDatagramTransport _lower;
    private readonly DtlsRecordPrecheck _precheck;
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly object _gate = new();
    private readonly Queue<byte[]> _queue = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private bool _ended;
    private bool _endedByTls;
    private TransportClosedReason _endReason;
    private string _endMessage = string.Empty;
    private long _overflowDropped;
    private long _oversizedDropped;
    private long _received;
    private ApplicationDataBypass? _bypass;
    private Func<byte[], CancellationToken, ValueTask>? _deliverBypassed;

    public BcDatagramAdapter(IDatagramTransport lower, DtlsRecordPrecheck precheck, TimeProvider time, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _lower = lower;
        _precheck = precheck;
        _time = time;
        _capacity = capacity;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Datagrams read from the lower transport so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Datagrams pushed out of the full queue (oldest first).</summary>
    public long OverflowDropped => Interlocked.Read(ref _overflowDropped);

    /// <summary>Datagrams longer than the buffer BC offered.</summary>
    public long OversizedDropped => Interlocked.Read(ref _oversizedDropped);

    /// <summary>Datagrams waiting for BC.</summary>
    public int Queued
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>
    /// Why the adapter was stopped from outside BC (the lower transport ended, the session's
    /// handshake timer); null while it runs or when only BC closed it. BC closes its transport on
    /// every failure, so that close says nothing about the cause and is not reported here.
    /// </summary>
    public TransportClosedReason? EndReason
    {
        get
        {
            lock (_gate)
            {
                return _ended && !_endedByTls ? _endReason : null;
            }
        }
    }

    public string EndMessage
    {
        get
        {
            lock (_gate)
            {
                return _endMessage;
            }
        }
    }

    /// <summary>
    /// From now on epoch-1 application data is opened by <paramref name="bypass"/> on the pump and
    /// handed to <paramref name="deliver"/> (in arrival order, awaited: a slow reader slows the pump);
    /// only the other records still reach BC. Call once the handshake has completed.
    /// </summary>
    public void BypassApplicationData(ApplicationDataBypass bypass, Func<byte[], CancellationToken, ValueTask> deliver)
    {
        lock (_gate)
        {
            _deliverBypassed = deliver;
            _bypass = bypass;
        }
    }

    /// <summary>Completes when the pump has stopped reading the lower transport.</summary>
    public Task Pump => _pump;

    public int GetReceiveLimit() => ReceiveLimit;

    public int GetSendLimit() => _lower.MaxDatagramSize;

    /// <summary>Waits up to <paramref name="waitMillis"/> for a datagram with at least one acceptable record; -1 on timeout.</summary>
    /// <exception cref="TransportClosedException">The adapter was stopped and the queue is empty.</exception>
    public int Receive(byte[] buf, int off, int len, int waitMillis)
    {
        var start = _time.GetTimestamp();
        while (true)
        {
            byte[] datagram;
            lock (_gate)
            {
                while (_queue.Count == 0)
                {
                    if (_ended)
                    {
                        throw new TransportClosedException(_endReason, _endMessage);
                    }

                    // BC's retransmission timer relies on a real wait: returning -1 early would make it resend too soon.
                    var remaining = waitMillis - (long)_time.GetElapsedTime(start).TotalMilliseconds;
                    if (remaining <= 0)
                    {
                        return -1;
                    }

                    Monitor.Wait(_gate, TimeSpan.FromMilliseconds(remaining));
                }

                datagram = _queue.Dequeue();
            }

            if (datagram.Length + DtlsRecordPrecheck.ExtraSpace > len)
            {
                Interlocked.Increment(ref _oversizedDropped);
                continue;
            }

            var written = _precheck.Filter(datagram, buf.AsSpan(off, len));
            if (written > 0)
            {
                return written;
            }
        }
    }

    /// <exception cref="TransportClosedException">The adapter or the lower transport has ended.</exception>
    public void Send(byte[] buf, int off, int len)
    {
        lock (_gate)
        {
            if (_ended)
            {
                throw new TransportClosedException(_endReason, _endMessage);
            }
        }

        // BC reuses its buffer after Send returns, so the lower transport must have taken its copy by then.
        var sending = _lower.SendAsync(buf.AsMemory(off, len), CancellationToken.None);
        if (!sending.IsCompletedSuccessfully)
        {
            sending.AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>BC calls this when its transport closes; from then on the adapter only reports the end.</summary>
    public void Close() => End(TransportClosedReason.ClosedLocally, "DTLS transport closed", byTls: true);

    /// <summary>Ends the adapter: a waiting <see cref="Receive"/> throws at once. The first reason given wins.</summary>
    public void Stop(TransportClosedReason reason, string message) => End(reason, message, byTls: false);

    private void End(TransportClosedReason reason, string message, bool byTls)
    {
        lock (_gate)
        {
            if (!_ended)
            {
                _ended = true;
                _endedByTls = byTls;
                _endReason = reason;
                _endMessage = message;
            }

            Monitor.PulseAll(_gate);
        }

        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already stopped and cleaned up.
        }
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[ReceiveLimit + 1];
        var opened = new List<byte[]>();
        try
        {
            while (true)
            {
                var length = await _lower.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _received);
                ApplicationDataBypass? bypass;
                Func<byte[], CancellationToken, ValueTask>? deliver;
                lock (_gate)
                {
                    (bypass, deliver) = (_bypass, _deliverBypassed);
                }

                byte[]? datagram;
                if (bypass is null || deliver is null)
                {
                    datagram = buffer.AsSpan(0, length).ToArray();
                }
                else
                {
                    datagram = bypass.Split(buffer.AsSpan(0, length), opened);
                    foreach (var plaintext in opened)
                    {
                        await deliver(plaintext, _stop.Token).ConfigureAwait(false);
                    }

                    opened.Clear();
                    if (datagram is null)
                    {
                        continue;
                    }
                }

                lock (_gate)
                {
                    if (_queue.Count >= _capacity)
                    {
                        _queue.Dequeue();
                        Interlocked.Increment(ref _overflowDropped);
                    }

                    _queue.Enqueue(datagram);
                    Monitor.Pulse(_gate);
                }
            }
        }
        catch (TransportClosedException closed)
        {
            Stop(closed.Reason, $"the transport under DTLS ended: {closed.Message}");
        }
        catch (OperationCanceledException)
        {
            // Stop() was called; its reason is already recorded.
        }
    }
}
