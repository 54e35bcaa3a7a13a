using System.Diagnostics;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>
/// Whether this machine can run the namespace tests, and if not, why (the skip reason xunit reports
/// and test.sh repeats). Checked once per test run: tools on PATH, root, and a real
/// <c>ip netns add</c>, because root inside an unprivileged container may still be refused.
/// </summary>
internal static class MdnsEnvironment
{
    public static readonly string[] NamespaceTools = ["ip", "unshare", "nsenter", "kill"];

    public static readonly string[] AvahiTools = ["avahi-daemon", "avahi-browse", "avahi-publish", "avahi-resolve", "dbus-daemon"];

    // The machine check is shared with the WebRTC harness, which has its own on/off switch.
    private static readonly Lazy<string?> MachineProblem = new(FindMachineProblem);

    private static readonly Lazy<string?> NamespaceProblem = new(() => SwitchedOff() ?? MachineProblem.Value);

    private static readonly Lazy<string?> AvahiProblem = new(() => NamespaceProblem.Value ?? MissingTools(AvahiTools, "apt-get install avahi-daemon avahi-utils"));

    /// <summary>Null when network namespaces can be made; otherwise why not.</summary>
    public static string? NamespaceSkipReason => NamespaceProblem.Value;

    /// <summary>Null when namespaces can be made and avahi is installed; otherwise why not.</summary>
    public static string? AvahiSkipReason => AvahiProblem.Value;

    /// <summary>Null when this machine lets us create network namespaces, whatever <see cref="SwitchVariable"/> says; otherwise why not.</summary>
    public static string? MachineSkipReason => MachineProblem.Value;

    /// <summary>Set to "off" to skip these tests on purpose (they start daemons and take ~30 s).</summary>
    public const string SwitchVariable = "P2PSYNC_MDNS_INTEROP";

    private static string? SwitchedOff() =>
        string.Equals(Environment.GetEnvironmentVariable(SwitchVariable), "off", StringComparison.OrdinalIgnoreCase)
            ? $"mDNS interop skipped: {SwitchVariable}=off"
            : null;

    private static string? FindMachineProblem()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "mDNS interop skipped: needs Linux network namespaces";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "mDNS interop skipped: not root (ip netns add needs root)";
        }

        if (MissingTools(NamespaceTools, "apt-get install iproute2 util-linux procps") is { } missing)
        {
            return missing;
        }

        // A throwaway namespace proves we may create them (a container may withhold CAP_SYS_ADMIN).
        var probe = new NamespaceName(Environment.ProcessId, "probe" + NamespaceName.NewTag()[..4], 'a').ToString();
        var (code, error) = Run("ip", "netns", "add", probe);
        if (code != 0)
        {
            return $"mDNS interop skipped: cannot create a network namespace here ({error.Trim()})";
        }

        Run("ip", "netns", "del", probe);
        return null;
    }

    private static string? MissingTools(IEnumerable<string> tools, string hint)
    {
        var missing = tools.Where(t => CommandRunner.Which(t) is null).ToList();
        return missing.Count == 0 ? null : $"mDNS interop skipped: {string.Join(", ", missing)} not installed ({hint})";
    }

    // Synchronous on purpose: this runs inside attribute constructors at test discovery.
    private static (int Code, string Error) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start);
        if (process is null)
        {
            return (-1, $"could not start {file}");
        }

        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{file} hung");
        }

        return (process.ExitCode, error.Result);
    }
}
