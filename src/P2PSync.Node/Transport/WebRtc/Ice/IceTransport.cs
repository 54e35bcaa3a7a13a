using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using P2PSync.Node.Transport.WebRtc.Stun;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>
/// Puts an <see cref="IceAgent"/> on real UDP sockets: one socket per local address, host
/// candidates for each, a server-reflexive candidate per socket when a STUN server is configured,
/// and <see cref="IDatagramTransport"/> for DTLS over whichever pair the agent says to use. All
/// agent calls happen under one lock, from the receive loops and one <see cref="TimeProvider"/> timer.
/// </summary>
internal sealed partial class IceTransport : IDatagramTransport
{
    private readonly IceAgent agent;
    private readonly IceTransportOptions options;
    private readonly TimeProvider time;
    private readonly long startTimestamp;
    private readonly object gate = new();
    private readonly List<IceSocket> sockets = [];
    private readonly Dictionary<TransactionId, ServerReflexiveQuery> stunQueries = [];
    private readonly Random random;
    private readonly Channel<byte[]> received;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> receiveLoops = [];
    private readonly Queue<Action> pendingEvents = new();
    private ITimer? timer;
    private bool started;
    private bool drainingEvents;
    private bool gatheringDone;
    private int closed;
    private int droppedSends;
    private int droppedReceives;
    private TransportClosedReason closeReason = TransportClosedReason.ClosedLocally;

    public IceTransport(IceAgent agent, IceTransportOptions options, TimeProvider time, Random random)
    {
        this.agent = agent;
        this.options = options;
        this.time = time;
        this.random = random;
        startTimestamp = time.GetTimestamp();
        received = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(options.ReceiveQueueLength)
        {
            // Wait mode makes TryWrite report a full queue (DropWrite would drop silently), so the
            // receive loop can count what a slow reader cost; nothing ever waits on it.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        agent.StateChanged += OnAgentState;
    }

    /// <summary>
    /// Raised for each local candidate, to trickle to the peer. Candidate and gathering events come
    /// from socket or timer threads, one at a time and in the order they happened, never under the lock.
    /// </summary>
    public event Action<IceCandidate>? LocalCandidate;

    /// <summary>Raised once when no more local candidates will come (end-of-candidates).</summary>
    public event Action? GatheringComplete;

    public event Action<TransportClosedReason>? Closed;

    public int MaxDatagramSize => options.MaxDatagramSize;

    public IceAgent Agent => agent;

    /// <summary>Application datagrams not sent because no pair was usable yet (UDP semantics: DTLS retransmits).</summary>
    public int DroppedSends => Volatile.Read(ref droppedSends);

    /// <summary>Application datagrams dropped on receive: larger than the reader's buffer.</summary>
    public int DroppedReceives => Volatile.Read(ref droppedReceives);

    /// <summary>Signalling delivered the peer's ufrag and pwd.</summary>
    public void SetRemoteCredentials(IceCredentials credentials)
    {
        lock (gate)
        {
            agent.SetRemoteCredentials(credentials);
        }

        Pump();
    }

    /// <summary>Signalling delivered a (trickled) remote candidate; false when the agent cannot use it.</summary>
    public bool AddRemoteCandidate(IceCandidate candidate)
    {
        bool used;
        lock (gate)
        {
            used = agent.AddRemoteCandidate(candidate);
        }

        Pump();
        return used;
    }

    /// <summary>Signalling delivered the peer's end-of-candidates.</summary>
    public void RemoteEndOfCandidates()
    {
        lock (gate)
        {
            agent.RemoteEndOfCandidates();
        }

        Pump();
    }

    /// <summary>Binds the sockets, announces host candidates and starts checks and srflx gathering.</summary>
    public void Start()
    {
        IReadOnlyList<IPAddress> addresses = options.BindAddresses ?? HostAddresses.Usable();
        lock (gate)
        {
            int localPreference = 65535;
            foreach (IPAddress address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                UdpSocketBuffers.Enlarge(socket);
                socket.Bind(new IPEndPoint(address, 0));
                var iceSocket = new IceSocket(socket, (IPEndPoint)socket.LocalEndPoint!);
                sockets.Add(iceSocket);
                var host = new IceCandidate(
                    CandidateFoundation.Compute(IceCandidateType.Host, address.ToString(), null, "udp"),
                    1, "udp", CandidatePriority.Compute(IceCandidateType.Host, localPreference--), address.ToString(), iceSocket.Base.Port,
                    IceCandidateType.Host);
                agent.AddLocalCandidate(host, iceSocket.Base);
                pendingEvents.Enqueue(() => LocalCandidate?.Invoke(host));
                if (options.StunServer is { } server && server.AddressFamily == address.AddressFamily)
                {
                    var request = new StunMessage { Method = StunMethod.Binding, Class = StunClass.Request, TransactionId = TransactionId.Create(random) };
                    var query = new ServerReflexiveQuery { Socket = iceSocket, Request = StunWriter.Encode(request, [], addFingerprint: true) };
                    stunQueries[request.TransactionId] = query;
                }
            }

            foreach (IceSocket iceSocket in sockets)
            {
                receiveLoops.Add(Task.Run(() => ReceiveLoopAsync(iceSocket)));
            }

            timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            started = true;
        }

        DrainEvents();
        lock (gate)
        {
            foreach (ServerReflexiveQuery query in stunQueries.Values)
            {
                SendRaw(query.Socket, options.StunServer!, query.Request);
                query.NextSendMs = NowMs + options.StunServerRetryMs;
            }
        }

        FinishGatheringIfDone();
        Pump();
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
    {
        if (datagram.Length > MaxDatagramSize)
        {
            throw new ArgumentException($"{datagram.Length} bytes is over the {MaxDatagramSize}-byte budget.", nameof(datagram));
        }

        ThrowIfClosed();
        IPEndPoint localBase;
        IPEndPoint remote;
        lock (gate)
        {
            if (!agent.TryGetDataPath(out localBase, out remote))
            {
                Interlocked.Increment(ref droppedSends); // no usable pair yet: UDP semantics, DTLS retransmits
                return ValueTask.CompletedTask;
            }

            if (sockets.Find(s => s.Base.Equals(localBase)) is { } socket)
            {
                SendRaw(socket, remote, datagram.Span);
            }
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
                datagram = await received.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                throw new TransportClosedException(ClosedReason(), "The ICE transport has ended.");
            }

            if (datagram.Length > buffer.Length)
            {
                Interlocked.Increment(ref droppedReceives);
                continue;
            }

            datagram.CopyTo(buffer);
            return datagram.Length;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close(TransportClosedReason.ClosedLocally);
        try
        {
            await Task.WhenAll(receiveLoops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the loops end by cancellation; nothing else to report
        }

        stopping.Dispose();
    }

    private long NowMs => (long)time.GetElapsedTime(startTimestamp).TotalMilliseconds;

    private TransportClosedReason ClosedReason() => closeReason;

    private void ThrowIfClosed()
    {
        if (Volatile.Read(ref closed) != 0)
        {
            throw new TransportClosedException(closeReason, "The ICE transport has ended.");
        }
    }
}
