using System.Globalization;
using System.Text.RegularExpressions;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>
/// The name of a network namespace this harness (or bench/mdns) creates: <c>p2p-PID-TAG-SIDE</c>.
/// The creating process id is in the name so a later run can tell a leftover of a crashed run
/// (its process is gone) from a namespace another live run is still using, and delete only the first.
/// </summary>
internal sealed partial record NamespaceName(int OwnerPid, string Tag, char Side)
{
    public override string ToString() => $"p2p-{OwnerPid.ToString(CultureInfo.InvariantCulture)}-{Tag}-{Side}";

    /// <summary>A fresh pair tag: 8 hex digits, unique enough that two runs never pick the same.</summary>
    public static string NewTag() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>
    /// Reads a name as <c>ip netns list</c> prints it (the name, maybe followed by " (id: N)").
    /// False for every name this harness did not make, so foreign namespaces are never touched.
    /// </summary>
    public static bool TryParse(string line, out NamespaceName? name)
    {
        name = null;
        var match = Pattern().Match(line.Trim());
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
        {
            return false;
        }

        name = new NamespaceName(pid, match.Groups[2].Value, match.Groups[3].Value[0]);
        return true;
    }

    [GeneratedRegex(@"^p2p-([0-9]{1,9})-([0-9a-z]{1,16})-([ab])(?:\s+\(id:\s*[0-9]+\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
