using System.Runtime.InteropServices;
using System.Threading.Channels;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;

namespace P2PSync.Node.Transport.WebRtc.Dtls;

/// <summary>
/// One DTLS 1.2 association over a datagram transport (ICE's selected pair, or a test link), seen
/// from above as another <see cref="IDatagramTransport"/>: SCTP packets in, records out.
/// Lifecycle: construct as soon as the transport exists (datagrams are buffered from then on),
/// <see cref="Start"/> once the SDP exchange gives the role and the peer's fingerprints, await
/// <see cref="Connected"/>. BouncyCastle's calls block, so the handshake and then the receive loop
/// run on a dedicated thread; sends are serialised by a lock.
/// </summary>
internal sealed class DtlsSession : IDatagramTransport
{
    /// <summary>Bytes a record adds to its payload: header 13, explicit nonce 8, GCM tag 16.</summary>
    public const int RecordOverhead = DtlsRecordPrecheck.HeaderLength + DtlsRecordCrypto.ExplicitNonceLength + DtlsRecordCrypto.TagLength;

    // How long one BC receive blocks before the loop looks at its stop flag again.
    private const int ReceivePollMillis = 250;

    private readonly IDatagramTransport _lower;
    private readonly DtlsCertificate _certificate;
    private readonly DtlsSessionOptions _options;
    private readonly DtlsRecordPrecheck _precheck = new();
    private readonly ApplicationDataBypass _bypass;
    private readonly DtlsAlertLog _alerts = new();
    private readonly BcDatagramAdapter _adapter;
    private readonly Channel<byte[]> _plaintext;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _threadDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly object _sendGate = new();
    private DtlsEndpointSettings? _settings;
    private DtlsTransport? _transport;
    private ITimer? _handshakeTimer;
    private int _started;
    private int _finished;
    private volatile bool _closingLocally;
    private volatile bool _handshakeReturned;
    private TransportClosedReason _closedReason;
    private string _closedMessage = string.Empty;
    private long _oversizedDropped;

    public DtlsSession(IDatagramTransport lower, DtlsCertificate localCertificate, DtlsSessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lower);
        ArgumentNullException.ThrowIfNull(localCertificate);
        _lower = lower;
        _certificate = localCertificate;
        _options = options ?? new DtlsSessionOptions();
        _plaintext = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(_options.PlaintextQueueCapacity)
        {
            SingleReader = false,

            // The BC thread writes what it decrypted during and right after the handshake, the
            // adapter's pump what the bypass opens from then on.
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _adapter = new BcDatagramAdapter(lower, _precheck, _options.Time, _options.InboundQueueCapacity);
        _bypass = new ApplicationDataBypass(_precheck);

        // Nobody may await Connected (a session closed before it starts); do not let that fault go unobserved.
        _connected.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    public event Action<TransportClosedReason>? Closed;

    /// <summary>The lower transport's budget minus one record's overhead (1232 → 1195).</summary>
    public int MaxDatagramSize => _lower.MaxDatagramSize - RecordOverhead;

    /// <summary>Completes when the handshake succeeds; faults with <see cref="TransportClosedException"/> when it fails or the session ends first.</summary>
    public Task Connected => _connected.Task;

    public DtlsRole? Role { get; private set; }

    /// <summary>The negotiated suite (0xC02B) once connected.</summary>
    public int CipherSuite { get; private set; }

    /// <summary>Whether RFC 7627's extended master secret was negotiated (always, once connected: we require it).</summary>
    public bool ExtendedMasterSecret { get; private set; }

    /// <summary>SHA-256 fingerprint of the certificate the peer presented, once it has.</summary>
    public DtlsFingerprint? PeerFingerprint => _settings?.Verifier.PresentedFingerprint;

    /// <summary>Why the session ended, once it has.</summary>
    public TransportClosedReason? ClosedReason => Volatile.Read(ref _finished) != 0 ? _closedReason : null;

    /// <summary>Text for the end: which alert, which check failed.</summary>
    public string ClosedMessage => _closedMessage;

    /// <summary>Datagrams read from below so far (including those buffered before <see cref="Start"/>).</summary>
    public long DatagramsReceived => _adapter.Received;

    /// <summary>Datagrams waiting for the handshake or the receive loop.</summary>
    public int DatagramsQueued => _adapter.Queued;

    /// <summary>Encrypted records dropped because they failed authentication.</summary>
    public long ForgedRecordsDropped => _precheck.ForgedRecords + _precheck.UnexpectedEpochRecords;

    /// <summary>The peer's Finished records dropped because a plaintext message before them was still missing (see <see cref="DtlsRecordPrecheck"/>).</summary>
    public long HandshakeRecordsHeldBack => _precheck.HeldBackRecords;

    /// <summary>Authentic application-data records dropped as replays (sequence number seen before, or older than the window).</summary>
    public long ReplayedRecordsDropped => _bypass.ReplayedRecords;

    /// <summary>Application-data records opened on the fast path, without BouncyCastle (<see cref="ApplicationDataBypass"/>).</summary>
    public long RecordsBypassed => _bypass.RecordsOpened;

    /// <summary>Datagrams dropped because they were not well-formed DTLS.</summary>
    public long MalformedDatagramsDropped => _precheck.MalformedDatagrams;

    /// <summary>Datagrams pushed out of the full inbound queue (the oldest first).</summary>
    public long QueueOverflowDropped => _adapter.OverflowDropped;

    /// <summary>Datagrams longer than BC's record buffer, or plaintexts longer than a caller's receive buffer.</summary>
    public long OversizedDropped => _adapter.OversizedDropped + Interlocked.Read(ref _oversizedDropped);

    /// <summary>Begins the handshake in <paramref name="role"/>, accepting only a peer certificate that matches one of <paramref name="remoteFingerprints"/>.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    /// <exception cref="TransportClosedException">The session has already ended.</exception>
    public void Start(DtlsRole role, IReadOnlyList<DtlsFingerprint> remoteFingerprints)
    {
        var verifier = new DtlsPeerVerifier(remoteFingerprints);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("the DTLS session has already started");
        }

        ThrowIfFinished();
        Role = role;
        _settings = new DtlsEndpointSettings(_certificate, verifier, _precheck, _alerts, _options.HandshakeTimeout);
        _handshakeTimer = _options.Time.CreateTimer(
            _ => OnHandshakeTimeout(),
            null,
            _options.HandshakeTimeout,
            Timeout.InfiniteTimeSpan);
        var thread = new Thread(() => Run(role, _settings))
        {
            IsBackground = true,
            Name = role == DtlsRole.Server ? "dtls-server" : "dtls-client",
        };
        thread.Start();
    }

    /// <exception cref="ArgumentException">Longer than <see cref="MaxDatagramSize"/>.</exception>
    /// <exception cref="TransportClosedException">The handshake failed or the session has ended.</exception>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        if (datagram.Length > MaxDatagramSize)
        {
            throw new ArgumentException($"a DTLS record carries at most {MaxDatagramSize} bytes, not {datagram.Length}", nameof(datagram));
        }

        // The layer above may start before the handshake ends (SCTP sends its INIT at once).
        if (!_connected.Task.IsCompleted)
        {
            await _connected.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        ThrowIfFinished();
        byte[] array;
        int offset;
        if (MemoryMarshal.TryGetArray(datagram, out var segment) && segment.Array is not null)
        {
            (array, offset) = (segment.Array, segment.Offset);
        }
        else
        {
            (array, offset) = (datagram.ToArray(), 0);
        }

        try
        {
            lock (_sendGate)
            {
                ThrowIfFinished();
                _transport!.Send(array, offset, datagram.Length);
            }
        }
        catch (Exception e) when (e is not TransportClosedException)
        {
            var (reason, message) = Explain(e, "send");
            Finish(reason, message);
            throw new TransportClosedException(reason, message);
        }
        catch (TransportClosedException e)
        {
            Finish(e.Reason, e.Message);
            throw;
        }
    }

    /// <exception cref="TransportClosedException">The session has ended and everything received before has been read.</exception>
    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            byte[] datagram;
            try
            {
                datagram = await _plaintext.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                throw new TransportClosedException(_closedReason, _closedMessage);
            }

            if (datagram.Length > buffer.Length)
            {
                Interlocked.Increment(ref _oversizedDropped);
                continue;
            }

            datagram.CopyTo(buffer);
            return datagram.Length;
        }
    }

    /// <summary>Sends close_notify if connected, then ends the session as <see cref="TransportClosedReason.ClosedLocally"/>. Leaves the lower transport open (its owner closes it).</summary>
    public async ValueTask DisposeAsync()
    {
        _closingLocally = true;
        lock (_sendGate)
        {
            if (_transport is not null && Volatile.Read(ref _finished) == 0)
            {
                try
                {
                    _transport.Close();
                }
                catch (Exception e) when (e is IOException or TlsException or InvalidOperationException)
                {
                    // The peer or the path is already gone; there is nobody left to tell.
                }
            }
        }

        Finish(TransportClosedReason.ClosedLocally, "closed by this side");
        if (Volatile.Read(ref _started) != 0)
        {
            await _threadDone.Task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _adapter.Pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_threadDone.Task.IsCompleted)
        {
            _settings?.Cipher?.Dispose();
            _precheck.Dispose();
        }
    }

    private void OnHandshakeTimeout()
    {
        // The timer can fire in the instant between a successful handshake and its disposal.
        if (!_handshakeReturned)
        {
            _adapter.Stop(TransportClosedReason.TimedOut, $"the DTLS handshake did not finish within {_options.HandshakeTimeout.TotalSeconds:0.#} s");
        }
    }

    private void Run(DtlsRole role, DtlsEndpointSettings settings)
    {
        try
        {
            var transport = Handshake(role, settings);
            if (transport is not null)
            {
                ReceiveLoop(transport);
            }
        }
        finally
        {
            _threadDone.TrySetResult();
        }
    }

    private DtlsTransport? Handshake(DtlsRole role, DtlsEndpointSettings settings)
    {
        DtlsTransport transport;
        TlsContext context;
        try
        {
            if (role == DtlsRole.Server)
            {
                var server = new WebRtcTlsServer(settings);
                transport = new DtlsServerProtocol(new SecureRandom()).Accept(server, _adapter);
                context = server.Context;
            }
            else
            {
                var client = new WebRtcTlsClient(settings);
                transport = new DtlsClientProtocol(new SecureRandom()).Connect(client, _adapter);
                context = client.Context;
            }

            _handshakeReturned = true;
        }
        catch (Exception e)
        {
            _handshakeTimer?.Dispose();
            var (reason, message) = Explain(e, "handshake");
            Finish(reason, message);
            return null;
        }

        _handshakeTimer?.Dispose();
        CipherSuite = context.SecurityParameters.CipherSuite;
        ExtendedMasterSecret = context.SecurityParameters.IsExtendedMasterSecret;
        if (!ExtendedMasterSecret || CipherSuite != Org.BouncyCastle.Crypto.Tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)
        {
            // BC should never let this through with our settings; refuse rather than trust it silently.
            transport.Close();
            Finish(TransportClosedReason.ProtocolError, $"handshake ended with suite 0x{CipherSuite:X4} and EMS={ExtendedMasterSecret}; we need 0xC02B with EMS");
            return null;
        }

        lock (_sendGate)
        {
            if (Volatile.Read(ref _finished) != 0)
            {
                transport.Close();
                return null;
            }

            _transport = transport;
            _adapter.BypassApplicationData(_bypass, DeliverBypassedAsync);
        }

        _connected.TrySetResult();
        return transport;
    }

    private void ReceiveLoop(DtlsTransport transport)
    {
        var buffer = new byte[BcDatagramAdapter.ReceiveLimit];
        while (Volatile.Read(ref _finished) == 0)
        {
            int length;
            try
            {
                length = transport.Receive(buffer, 0, buffer.Length, ReceivePollMillis);
            }
            catch (Exception e)
            {
                var (reason, message) = Explain(e, "receive");
                Finish(reason, message);
                return;
            }

            if (length < 0)
            {
                // -1 is both "nothing yet" and "the peer said close_notify"; the alert log tells which.
                if (_alerts.CloseNotifyReceived)
                {
                    lock (_sendGate)
                    {
                        TryClose(transport);
                    }

                    Finish(TransportClosedReason.ClosedByPeer, "the peer sent close_notify");
                    return;
                }

                continue;
            }

            Deliver(buffer.AsSpan(0, length).ToArray());
        }
    }

    private void Deliver(byte[] plaintext)
    {
        if (_plaintext.Writer.TryWrite(plaintext))
        {
            return;
        }

        try
        {
            _plaintext.Writer.WriteAsync(plaintext, _stop.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            // The session ended while the layer above was not reading; the datagram goes with it.
        }
    }

    private async ValueTask DeliverBypassedAsync(byte[] plaintext, CancellationToken cancellationToken)
    {
        try
        {
            await _plaintext.Writer.WriteAsync(plaintext, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The session has ended; what was still arriving goes with it, as on BC's path.
        }
    }

    // Turns whatever BC threw into the reason the layer above sees. Order matters: our own close
    // first, then the adapter's stop (the path ended, or our handshake timer fired), then the
    // peer's close_notify, then our fingerprint check, then alerts.
    private (TransportClosedReason Reason, string Message) Explain(Exception error, string phase)
    {
        if (_closingLocally)
        {
            return (TransportClosedReason.ClosedLocally, "closed by this side");
        }

        if (_adapter.EndReason is { } ended)
        {
            return (ended, _adapter.EndMessage);
        }

        if (_alerts.CloseNotifyReceived)
        {
            return (TransportClosedReason.ClosedByPeer, "the peer sent close_notify");
        }

        if (_settings?.Verifier.Failure is { } refused)
        {
            return (TransportClosedReason.ProtocolError, $"DTLS {phase} refused: {refused}");
        }

        if (error is TlsFatalAlertReceived received)
        {
            return (TransportClosedReason.ProtocolError, $"the peer ended the DTLS {phase} with fatal alert {AlertDescription.GetText(received.AlertDescription)}");
        }

        if (error is TlsFatalAlert raised)
        {
            return (TransportClosedReason.ProtocolError, $"DTLS {phase} failed: {AlertDescription.GetText(raised.AlertDescription)}");
        }

        return (TransportClosedReason.ProtocolError, $"DTLS {phase} failed: {error.GetType().Name}: {error.Message}");
    }

    private void Finish(TransportClosedReason reason, string message)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return;
        }

        _closedReason = reason;
        _closedMessage = message;
        var error = new TransportClosedException(reason, message);
        _plaintext.Writer.TryComplete();
        _connected.TrySetException(error);
        _handshakeTimer?.Dispose();
        _adapter.Stop(reason, message);
        _stop.Cancel();
        Closed?.Invoke(reason);
    }

    private void ThrowIfFinished()
    {
        if (Volatile.Read(ref _finished) != 0)
        {
            throw new TransportClosedException(_closedReason, _closedMessage);
        }
    }

    private static void TryClose(DtlsTransport transport)
    {
        try
        {
            transport.Close();
        }
        catch (Exception e) when (e is IOException or TlsException or InvalidOperationException)
        {
            // Answering close_notify is a courtesy; the peer may already be gone.
        }
    }
}
