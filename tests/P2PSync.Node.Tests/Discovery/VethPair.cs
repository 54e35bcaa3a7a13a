using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace P2PSync.Node.Tests.Discovery;

/// <summary>
/// Two network namespaces joined by a veth pair, made for one test and always deleted afterwards:
/// side A has 10.77.0.1 and fd77::1, side B 10.77.0.2 and fd77::2 (DAD off so IPv6 works at
/// once). Names carry this process's id and a random tag so parallel runs never collide.
/// </summary>
internal sealed class VethPair : IDisposable
{
    private static readonly Lazy<string?> Problem = new(FindProblem);

    private VethPair(string a, string b, int indexA, int indexB)
    {
        NamespaceA = a;
        NamespaceB = b;
        IndexA = indexA;
        IndexB = indexB;
    }

    /// <summary>Null when namespaces can be made here; otherwise why not.</summary>
    public static string? SkipReason => Problem.Value;

    public string NamespaceA { get; }

    public string NamespaceB { get; }

    /// <summary>Interface index of the veth end inside A.</summary>
    public int IndexA { get; }

    public int IndexB { get; }

    public static IPAddress Ipv4A { get; } = IPAddress.Parse("10.77.0.1");

    public static IPAddress Ipv4B { get; } = IPAddress.Parse("10.77.0.2");

    public static IPAddress Ipv6A { get; } = IPAddress.Parse("fd77::1");

    public static IPAddress Ipv6B { get; } = IPAddress.Parse("fd77::2");

    public static VethPair Create()
    {
        var tag = $"p2pmh-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..6]}";
        var (a, b) = (tag + "-a", tag + "-b");
        try
        {
            foreach (var ns in new[] { a, b })
            {
                Ip("netns", "add", ns);
                Run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0");
                Ip("-n", ns, "link", "set", "lo", "up");
            }

            Ip("link", "add", "mhA", "netns", a, "type", "veth", "peer", "name", "mhB", "netns", b);
            Ip("-n", a, "addr", "add", "10.77.0.1/24", "dev", "mhA");
            Ip("-n", b, "addr", "add", "10.77.0.2/24", "dev", "mhB");
            Ip("-n", a, "addr", "add", "fd77::1/64", "dev", "mhA", "nodad");
            Ip("-n", b, "addr", "add", "fd77::2/64", "dev", "mhB", "nodad");
            Ip("-n", a, "link", "set", "mhA", "up");
            Ip("-n", b, "link", "set", "mhB", "up");
            // IPv6 on a fresh link sends nothing until its link-local address is ready.
            WaitForLinkLocal(a, "mhA");
            WaitForLinkLocal(b, "mhB");
            var indexA = int.Parse(Run("ip", "netns", "exec", a, "cat", "/sys/class/net/mhA/ifindex").Trim(), CultureInfo.InvariantCulture);
            var indexB = int.Parse(Run("ip", "netns", "exec", b, "cat", "/sys/class/net/mhB/ifindex").Trim(), CultureInfo.InvariantCulture);
            return new VethPair(a, b, indexA, indexB);
        }
        catch
        {
            Delete(a);
            Delete(b);
            throw;
        }
    }

    public void Dispose()
    {
        Delete(NamespaceA);
        Delete(NamespaceB);
    }

    private static void WaitForLinkLocal(string ns, string device)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var lines = Run("ip", "-n", ns, "-6", "addr", "show", "dev", device, "scope", "link");
            if (lines.Contains("inet6 fe80", StringComparison.Ordinal) && !lines.Contains("tentative", StringComparison.Ordinal))
            {
                return;
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"{device} in {ns} got no usable link-local address: {lines}");
            }

            Thread.Sleep(50);
        }
    }

    private static void Delete(string ns)
    {
        try
        {
            Run("ip", "netns", "del", ns);
        }
        catch (InvalidOperationException)
        {
            // Never created (setup failed early); nothing to clean.
        }
    }

    private static string? FindProblem()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "needs Linux network namespaces";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "needs root (ip netns add)";
        }

        var probe = $"p2pmh-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-probe";
        try
        {
            Ip("netns", "add", probe);
            Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"cannot create a network namespace here: {ex.Message}";
        }
    }

    private static void Ip(params string[] args) => Run("ip", args);

    private static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} hung");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error.Result.Trim()}");
        }

        return output;
    }
}
