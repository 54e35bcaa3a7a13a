using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>
/// A private avahi-daemon (with its own system dbus) in one network namespace. avahi-browse and
/// avahi-publish talk to it over that dbus, so they run inside the same mount namespace:
/// <c>nsenter -t HOLDER -m -n</c>.
/// </summary>
internal sealed class AvahiDaemon : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _holder;
    private readonly ProcessLog _log;
    private readonly string _directory;

    private AvahiDaemon(NetworkNamespace ns, string hostName, Process holder, ProcessLog log, string directory)
    {
        Namespace = ns;
        HostName = hostName;
        _holder = holder;
        _log = log;
        _directory = directory;
    }

    public NetworkNamespace Namespace { get; }

    /// <summary>avahi's own host name (without .local).</summary>
    public string HostName { get; }

    public string Log => _log.Text;

    public static async Task<AvahiDaemon> StartAsync(NetworkNamespace ns)
    {
        var hostName = "avahi-" + ns.Name.Replace("p2p-", "", StringComparison.Ordinal);
        var directory = Directory.CreateTempSubdirectory("p2p-avahi-").FullName;
        var conf = Path.Combine(directory, "avahi-daemon.conf");
        var script = Path.Combine(directory, "holder.sh");
        await File.WriteAllTextAsync(conf, AvahiConfig.DaemonConf(hostName, ns.InterfaceName) + "\n");
        await File.WriteAllTextAsync(script, AvahiConfig.HolderScript + "\n");
        var process = Process.Start(ns.StartInfo("unshare", "-m", "--propagation", "private", "sh", script, conf))
            ?? throw new ExternalCommandException($"could not start avahi in {ns.Name}");
        var log = ProcessLog.Attach(process);
        var daemon = new AvahiDaemon(ns, hostName, process, log, directory);
        try
        {
            await log.WaitForLineAsync(process, l => l.Contains("Server startup complete", StringComparison.Ordinal), StartTimeout, $"avahi-daemon in {ns.Name}");
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// One <c>avahi-browse -rtpk TYPE</c>: every instance avahi knows or learns before it says
    /// "all for now", resolved. A non-zero exit is not an error here (a half-resolved service
    /// makes it complain); callers poll until what they expect shows up.
    /// </summary>
    public async Task<(IReadOnlyList<AvahiBrowseEvent> Events, CommandResult Raw)> BrowseOnceAsync(string serviceType)
    {
        var raw = await CommandRunner.RunAsync("nsenter", InNamespace("avahi-browse", "-r", "-t", "-p", "-k", serviceType), TimeSpan.FromSeconds(15));
        return (AvahiBrowseParser.ParseAll(raw.Stdout), raw);
    }

    /// <summary>
    /// <c>avahi-resolve -n -4|-6 HOST</c>: the address avahi gets for a host name by asking for its A
    /// (IPv4) or AAAA (IPv6) record; null when it cannot resolve it.
    /// </summary>
    public async Task<(IPAddress? Address, CommandResult Raw)> ResolveHostAsync(string hostName, bool ipv6)
    {
        var raw = await CommandRunner.RunAsync("nsenter", InNamespace("avahi-resolve", "-n", ipv6 ? "-6" : "-4", hostName), TimeSpan.FromSeconds(15));
        // One line "NAME<TAB>ADDRESS" on success.
        var fields = raw.Stdout.Trim().Split('\t');
        var ok = raw.ExitCode == 0 && fields.Length == 2 && IPAddress.TryParse(fields[1], out _);
        return (ok ? IPAddress.Parse(fields[1]) : null, raw);
    }

    /// <summary>Starts a continuous <c>avahi-browse -rpk TYPE</c> (the bench's and removal tests' eyes).</summary>
    public AvahiBrowseSession StartBrowser(string serviceType) =>
        new(Process.Start(StartInfo("avahi-browse", "-r", "-p", "-k", serviceType)) ?? throw new ExternalCommandException("could not start avahi-browse"));

    /// <summary><c>avahi-publish -s NAME TYPE PORT TXT...</c>; returns once avahi says the name is established.</summary>
    public async Task<AvahiPublication> PublishAsync(string instanceName, string serviceType, ushort port, params string[] txt)
    {
        var args = new[] { "-s", instanceName, serviceType, port.ToString(CultureInfo.InvariantCulture) }.Concat(txt).ToArray();
        var process = Process.Start(StartInfo("avahi-publish", args)) ?? throw new ExternalCommandException("could not start avahi-publish");
        var log = ProcessLog.Attach(process);
        var publication = new AvahiPublication(process, log);
        try
        {
            await log.WaitForLineAsync(process, l => l.StartsWith("Established under name", StringComparison.Ordinal), StartTimeout, $"avahi-publish of {instanceName} in {Namespace.Name}");
            return publication;
        }
        catch
        {
            await publication.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_holder.HasExited)
        {
            _holder.Kill(entireProcessTree: true);
            await _holder.WaitForExitAsync();
        }

        _holder.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
    }

    private ProcessStartInfo StartInfo(string file, params string[] args)
    {
        var start = new ProcessStartInfo("nsenter")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in InNamespace(file, args))
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private string[] InNamespace(string file, params string[] args) =>
        new[] { "-t", _holder.Id.ToString(CultureInfo.InvariantCulture), "-m", "-n", file }.Concat(args).ToArray();
}
