using P2PSync.Interop.Tests.Mdns;
using P2PSync.Interop.Tests.Oracle;

namespace P2PSync.Interop.Tests.WebRtc;

/// <summary>
/// Whether this machine can run the WebRTC interop tests, and if not, why (the skip reason xunit
/// reports). The namespace check is the mDNS harness's (root, iproute2, a real <c>ip netns add</c>);
/// on top come node with werift, and for the browser tests Chromium with playwright-core.
/// </summary>
internal static class WebRtcEnvironment
{
    /// <summary>Set to "off" to skip these tests on purpose (they start browsers).</summary>
    public const string SwitchVariable = "P2PSYNC_WEBRTC_INTEROP";

    /// <summary>The browser the Chromium driver launches (Debian's package; never a downloaded one).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private const string Prefix = "WebRTC interop skipped: ";

    private static readonly Lazy<string?> WeriftProblem = new(FindWeriftProblem);

    private static readonly Lazy<string?> ChromiumProblem = new(FindChromiumProblem);

    /// <summary>Null when werift peers can run in namespaces; otherwise why not.</summary>
    public static string? WeriftSkipReason => WeriftProblem.Value;

    /// <summary>Null when Chromium (and werift) peers can run in namespaces; otherwise why not.</summary>
    public static string? ChromiumSkipReason => ChromiumProblem.Value;

    private static string? FindWeriftProblem()
    {
        if (string.Equals(Environment.GetEnvironmentVariable(SwitchVariable), "off", StringComparison.OrdinalIgnoreCase))
        {
            return Prefix + $"{SwitchVariable}=off";
        }

        // The mDNS harness words its reasons for itself; keep the cause, say whose test skipped.
        if (MdnsEnvironment.MachineSkipReason is { } netns)
        {
            return Prefix + netns.Replace("mDNS interop skipped: ", "", StringComparison.Ordinal);
        }

        if (CommandRunner.Which("node") is null)
        {
            return Prefix + "node not installed";
        }

        return Directory.Exists(Path.Combine(RepoPaths.Oracle, "node_modules", "werift"))
            ? null
            : Prefix + "werift missing in tests/oracle/node_modules (run npm ci in tests/oracle)";
    }

    private static string? FindChromiumProblem()
    {
        if (WeriftProblem.Value is { } reason)
        {
            return reason;
        }

        if (!File.Exists(ChromiumPath))
        {
            return Prefix + $"{ChromiumPath} not installed (apt-get install chromium; test.sh does it when root)";
        }

        return Directory.Exists(Path.Combine(RepoPaths.Oracle, "node_modules", "playwright-core"))
            ? null
            : Prefix + "playwright-core missing in tests/oracle/node_modules (run npm ci in tests/oracle)";
    }
}
