using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace P2PSync.Node.Discovery.Mdns;

/// <summary>
/// Follows the host's interfaces so mDNS starts on a new one (Wi-Fi joined, cable plugged,
/// namespace veth added) and stops on a vanished one without a restart. OS change events make it
/// quick; a poll every few seconds catches what the events miss (not every change raises one on
/// every platform). <see cref="Changed"/> fires only when the selection really differs.
/// </summary>
internal sealed class InterfaceMonitor : IDisposable
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(5);

    private readonly Func<IReadOnlyList<InterfaceCandidate>> _read;
    private readonly TimeProvider _time;
    private readonly bool _allowLoopback;
    private readonly TimeSpan _pollInterval;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private IReadOnlyList<MdnsInterface> _current = [];
    private ITimer? _poll;
    private bool _subscribed;
    private bool _disposed;

    /// <param name="read">Reads the OS's interfaces (<see cref="ReadSystem"/>; tests pass a fake).</param>
    /// <param name="allowLoopback">Use loopback when it is the only interface left.</param>
    public InterfaceMonitor(Func<IReadOnlyList<InterfaceCandidate>> read, TimeProvider time, bool allowLoopback, ILogger logger, TimeSpan? pollInterval = null)
    {
        _read = read;
        _time = time;
        _allowLoopback = allowLoopback;
        _logger = logger;
        _pollInterval = pollInterval ?? DefaultPollInterval;
    }

    /// <summary>The selection changed; the argument is the new full list. Fires on a timer or OS thread.</summary>
    public event Action<IReadOnlyList<MdnsInterface>>? Changed;

    /// <summary>The interfaces mDNS runs on now.</summary>
    public IReadOnlyList<MdnsInterface> Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Takes the first reading (without raising <see cref="Changed"/>) and starts following changes.</summary>
    public IReadOnlyList<MdnsInterface> Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _current = ReadSelection() ?? [];
            _poll = _time.CreateTimer(_ => Refresh(), null, _pollInterval, _pollInterval);
            NetworkChange.NetworkAddressChanged += OnOsChange;
            NetworkChange.NetworkAvailabilityChanged += OnOsChange;
            _subscribed = true;
            return _current;
        }
    }

    /// <summary>Reads the interfaces now; raises <see cref="Changed"/> when the selection differs from the last one.</summary>
    public void Refresh()
    {
        IReadOnlyList<MdnsInterface> changed;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var next = ReadSelection();
            if (next is null || next.SequenceEqual(_current))
            {
                return;
            }

            _logger.LogInformation("mDNS interfaces now: {Interfaces}", next.Count == 0 ? "none" : string.Join(", ", next.Select(i => $"{i.Name}#{i.Index}")));
            _current = next;
            changed = next;
        }

        Changed?.Invoke(changed);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_subscribed)
            {
                NetworkChange.NetworkAddressChanged -= OnOsChange;
                NetworkChange.NetworkAvailabilityChanged -= OnOsChange;
            }

            _poll?.Dispose();
        }
    }

    /// <summary>The OS's interfaces with their unicast addresses.</summary>
    public static IReadOnlyList<InterfaceCandidate> ReadSystem() =>
        NetworkInterface.GetAllNetworkInterfaces().Select(ToCandidate).OfType<InterfaceCandidate>().ToList();

    private static InterfaceCandidate? ToCandidate(NetworkInterface nic)
    {
        var properties = nic.GetIPProperties();
        var index = IndexOf(properties);
        if (index is null)
        {
            return null;
        }

        var up = nic.OperationalStatus == OperationalStatus.Up
            // Virtual links (tun, some container veths) report "unknown" while passing traffic.
            || nic.OperationalStatus == OperationalStatus.Unknown;
        return new InterfaceCandidate(
            index.Value,
            nic.Name,
            up,
            nic.NetworkInterfaceType == NetworkInterfaceType.Loopback,
            nic.SupportsMulticast,
            properties.UnicastAddresses.Select(a => a.Address).ToList());
    }

    private static int? IndexOf(IPInterfaceProperties properties)
    {
        try
        {
            return properties.GetIPv4Properties()?.Index ?? properties.GetIPv6Properties()?.Index;
        }
        catch (NetworkInformationException)
        {
            try
            {
                return properties.GetIPv6Properties()?.Index;
            }
            catch (NetworkInformationException)
            {
                return null;
            }
        }
    }

    private void OnOsChange(object? sender, EventArgs e) => Refresh();

    /// <summary>The selection now, or null (logged) when the OS could not be read: keep the last one then.</summary>
    private IReadOnlyList<MdnsInterface>? ReadSelection()
    {
        try
        {
            return InterfaceSelection.Select(_read(), _allowLoopback);
        }
        catch (Exception ex) when (ex is NetworkInformationException or SocketException or IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("cannot read the network interfaces: {Reason}", ex.Message);
            return null;
        }
    }
}
