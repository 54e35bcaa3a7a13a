using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// The real mDNS sockets: one IPv4 and one IPv6 UDP socket on port 5353, shared with avahi or
/// another node on the same host (SO_REUSEADDR), joined to 224.0.0.251 / ff02::fb per interface.
/// Packets go out with TTL / hop limit 255 (RFC 6762 §11 lets receivers check it) and loop back
/// to this host, so two nodes on one machine see each other. Each received datagram carries the
/// interface it arrived on (IP_PKTINFO), because answers must carry that interface's addresses.
/// </summary>
internal sealed class MdnsSockets : IMdnsSocket
{
    public static readonly IPAddress IPv4Group = IPAddress.Parse("224.0.0.251");

    public static readonly IPAddress IPv6Group = IPAddress.Parse("ff02::fb");

    /// <summary>RFC 6762 §17: an mDNS message is at most 9000 bytes; anything longer is dropped, not parsed half.</summary>
    public const int MaxDatagram = 9000;

    /// <summary>Datagrams waiting for the discovery loop; beyond this the oldest go (a flood must not eat memory).</summary>
    private const int QueueLength = 512;

    private readonly Socket? _v4;
    private readonly Socket? _v6;
    private readonly int _port;
    private readonly ILogger _logger;
    private readonly Channel<MdnsDatagram> _received;
    private readonly SemaphoreSlim _multicastSend = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<int, IPAddress> _v4Joined = [];
    private readonly HashSet<int> _v6Joined = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _receivers;
    private long _dropped;
    private bool _disposed;

    private MdnsSockets(Socket? v4, Socket? v6, int port, ILogger logger)
    {
        _v4 = v4;
        _v6 = v6;
        _port = port;
        _logger = logger;
        _received = Channel.CreateBounded<MdnsDatagram>(
            new BoundedChannelOptions(QueueLength) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
        _receivers = [.. new[] { v4, v6 }.OfType<Socket>().Select(s => Task.Run(() => ReceiveLoopAsync(s)))];
    }

    /// <summary>Datagrams dropped: too long for mDNS, or the queue was full.</summary>
    public long DroppedDatagrams => Interlocked.Read(ref _dropped);

    /// <summary>The UDP port (5353 in production; tests in their own namespaces may pick another).</summary>
    public int Port => _port;

    /// <summary>
    /// Opens the sockets. A family the host lacks (IPv6 disabled, say) is skipped with a log line;
    /// only when neither can be opened does this throw <see cref="SocketException"/>.
    /// </summary>
    public static MdnsSockets Open(int port, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var v4 = TryOpen(AddressFamily.InterNetwork, port, logger, out var v4Error);
        var v6 = TryOpen(AddressFamily.InterNetworkV6, port, logger, out var v6Error);
        if (v4 is null && v6 is null)
        {
            throw v4Error ?? v6Error ?? new SocketException((int)SocketError.AddressFamilyNotSupported);
        }

        return new MdnsSockets(v4, v6, port, logger);
    }

    public ValueTask<MdnsDatagram> ReceiveAsync(CancellationToken cancellationToken) => _received.Reader.ReadAsync(cancellationToken);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> payload, MdnsDestination destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var v6 = destination.Family == AddressFamily.InterNetworkV6;
        var socket = (v6 ? _v6 : _v4) ?? throw new SocketException((int)SocketError.AddressFamilyNotSupported);
        if (destination.Unicast is { } unicast)
        {
            await socket.SendToAsync(payload, SocketFlags.None, unicast, cancellationToken).ConfigureAwait(false);
            return;
        }

        // The outgoing interface is a socket option, so setting it and sending must not interleave
        // with another multicast send; one short lock per datagram is cheap at mDNS rates.
        await _multicastSend.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (v6)
            {
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, destination.InterfaceIndex);
                var group = new IPAddress(IPv6Group.GetAddressBytes(), destination.InterfaceIndex);
                await socket.SendToAsync(payload, SocketFlags.None, new IPEndPoint(group, _port), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                IPAddress? source;
                lock (_gate)
                {
                    _v4Joined.TryGetValue(destination.InterfaceIndex, out source);
                }

                if (source is null)
                {
                    // Not (or no longer) an interface we joined: sending would pick an arbitrary one.
                    throw new SocketException((int)SocketError.NetworkUnreachable);
                }

                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, source.GetAddressBytes());
                await socket.SendToAsync(payload, SocketFlags.None, new IPEndPoint(IPv4Group, _port), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _multicastSend.Release();
        }
    }

    public void SetInterfaces(IReadOnlyList<MdnsInterface> interfaces)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_v4 is not null)
            {
                UpdateV4(_v4, interfaces);
            }

            if (_v6 is not null)
            {
                UpdateV6(_v6, interfaces);
            }
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
        _v4?.Dispose();
        _v6?.Dispose();
        await Task.WhenAll(_receivers).ConfigureAwait(false);
        _received.Writer.TryComplete();
        _stop.Dispose();
        _multicastSend.Dispose();
    }

    private static Socket? TryOpen(AddressFamily family, int port, ILogger logger, out SocketException? error)
    {
        error = null;
        Socket? socket = null;
        try
        {
            socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
            var v6 = family == AddressFamily.InterNetworkV6;
            var level = v6 ? SocketOptionLevel.IPv6 : SocketOptionLevel.IP;
            if (v6)
            {
                // The IPv4 socket has the IPv4 traffic; a dual-mode socket would see it twice.
                socket.DualMode = false;
            }

            // Before Bind: avahi (and other nodes) hold 5353 too; all of us get every multicast.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(v6 ? IPAddress.IPv6Any : IPAddress.Any, port));
            socket.SetSocketOption(level, SocketOptionName.PacketInformation, true);
            socket.SetSocketOption(level, SocketOptionName.MulticastTimeToLive, 255);
            socket.Ttl = 255;
            socket.MulticastLoopback = true;
            return socket;
        }
        catch (SocketException ex)
        {
            socket?.Dispose();
            logger.LogWarning("mDNS over {Family} is off: {Reason}", family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4", ex.Message);
            error = ex;
            return null;
        }
    }

    private void UpdateV4(Socket socket, IReadOnlyList<MdnsInterface> interfaces)
    {
        var wanted = interfaces
            .Select(i => (i.Index, Address: i.Addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)))
            .Where(i => i.Address is not null)
            .ToDictionary(i => i.Index, i => i.Address!);
        foreach (var index in _v4Joined.Keys.Where(i => !wanted.ContainsKey(i)).ToList())
        {
            Membership(socket, SocketOptionName.DropMembership, new MulticastOption(IPv4Group, index), index);
            _v4Joined.Remove(index);
        }

        foreach (var (index, address) in wanted)
        {
            if (!_v4Joined.ContainsKey(index) && !Membership(socket, SocketOptionName.AddMembership, new MulticastOption(IPv4Group, index), index))
            {
                continue;
            }

            // Also when already joined: the interface's address may have changed.
            _v4Joined[index] = address;
        }
    }

    private void UpdateV6(Socket socket, IReadOnlyList<MdnsInterface> interfaces)
    {
        var wanted = interfaces
            .Where(i => i.Addresses.Any(a => a.AddressFamily == AddressFamily.InterNetworkV6))
            .Select(i => i.Index)
            .ToHashSet();
        foreach (var index in _v6Joined.Where(i => !wanted.Contains(i)).ToList())
        {
            Membership(socket, SocketOptionName.DropMembership, new IPv6MulticastOption(IPv6Group, index), index);
            _v6Joined.Remove(index);
        }

        foreach (var index in wanted)
        {
            if (!_v6Joined.Contains(index) && Membership(socket, SocketOptionName.AddMembership, new IPv6MulticastOption(IPv6Group, index), index))
            {
                _v6Joined.Add(index);
            }
        }
    }

    /// <summary>Joins or leaves; false (logged) when the OS refuses, e.g. the interface vanished meanwhile.</summary>
    private bool Membership(Socket socket, SocketOptionName option, object value, int index)
    {
        var level = socket.AddressFamily == AddressFamily.InterNetworkV6 ? SocketOptionLevel.IPv6 : SocketOptionLevel.IP;
        try
        {
            socket.SetSocketOption(level, option, value);
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse && option == SocketOptionName.AddMembership)
        {
            // Already a member (e.g. joined before a restart of the monitor): that is what we wanted.
            return true;
        }
        catch (SocketException ex)
        {
            _logger.LogDebug("mDNS {Option} on interface {Index} ({Family}) failed: {Reason}", option, index, socket.AddressFamily, ex.Message);
            return false;
        }
    }

    private async Task ReceiveLoopAsync(Socket socket)
    {
        // One byte more than the limit, so an over-long datagram shows up as truncated.
        var buffer = new byte[MaxDatagram + 1];
        EndPoint any = socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveMessageFromResult result;
            try
            {
                result = await socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || _stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // E.g. an ICMP error for an earlier unicast send: that datagram is lost, the socket is fine.
                _logger.LogDebug("mDNS receive ({Family}): {Reason}", socket.AddressFamily, ex.Message);
                continue;
            }

            if (result.ReceivedBytes > MaxDatagram || (result.SocketFlags & SocketFlags.Truncated) != 0)
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }

            var source = (IPEndPoint)result.RemoteEndPoint;
            _received.Writer.TryWrite(new MdnsDatagram(buffer.AsSpan(0, result.ReceivedBytes).ToArray(), source, result.PacketInformation.Interface));
        }
    }
}
