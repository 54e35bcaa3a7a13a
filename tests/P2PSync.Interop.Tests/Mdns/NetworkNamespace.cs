using System.Diagnostics;
using System.Net;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>One side of a <see cref="NamespacePair"/>: its name, its end of the veth pair and the addresses on it.</summary>
internal sealed class NetworkNamespace
{
    public NetworkNamespace(string name, string interfaceName, IPAddress ipv4, IPAddress ulaIpv6)
    {
        Name = name;
        InterfaceName = interfaceName;
        Ipv4 = ipv4;
        UlaIpv6 = ulaIpv6;
    }

    public string Name { get; }

    public string InterfaceName { get; }

    public IPAddress Ipv4 { get; }

    public IPAddress UlaIpv6 { get; }

    /// <summary>The fe80:: address the kernel gave the veth end (known once the link is up).</summary>
    public IPAddress? LinkLocalIpv6 { get; set; }

    public IEnumerable<IPAddress> Addresses => LinkLocalIpv6 is null ? [Ipv4, UlaIpv6] : [Ipv4, UlaIpv6, LinkLocalIpv6];

    /// <summary>A start info for <c>ip netns exec NAME file args...</c> (ip execs the command, so the pid is the command's).</summary>
    public ProcessStartInfo StartInfo(string file, params string[] args)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "netns", "exec", Name, file }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <summary>Runs a short command inside the namespace; it must succeed.</summary>
    public Task<string> ExecAsync(TimeSpan timeout, string file, params string[] args) =>
        CommandRunner.CheckedAsync("ip", new[] { "netns", "exec", Name, file }.Concat(args), timeout);

    public override string ToString() => $"{Name} ({InterfaceName} {Ipv4} {UlaIpv6} {LinkLocalIpv6})";
}
