namespace P2PSync.Node.Tests.Discovery.Mdns.Wire;

/// <summary>
/// Packets avahi-daemon 0.8 sent, captured once in a throwaway network namespace (veth pair,
/// host name "mwirehost", address 10.77.0.1) while running
/// <c>avahi-publish -s Desk _p2psync._tcp 8080 txtvers=1 id=ABCDEFGHIJ proto=1</c> and then
/// <c>avahi-browse -rt _p2psync._tcp</c>, and stopping the publisher. They pin our decoder
/// to what the interop peer really sends, compression choices included.
/// </summary>
internal static class AvahiCaptures
{
    /// <summary>Probe: ANY question for the instance, proposed SRV + TXT in the authority section.</summary>
    public const string Probe = """
        000000000001000000020000044465736b085f70327073796e63045f74637005
        6c6f63616c0000ff0001c00c00210001000000780012000000001f90096d7769
        7265686f7374c01fc00c0010000100001194002009747874766572733d310d69
        643d4142434445464748494a0770726f746f3d31
        """;

    /// <summary>Announcement: TXT, PTR, SRV, A and the _services._dns-sd._udp PTR, flush bits on unique records.</summary>
    public const string Announcement = """
        000084000000000500000000044465736b085f70327073796e63045f74637005
        6c6f63616c000010800100001194002009747874766572733d310d69643d4142
        434445464748494a0770726f746f3d31c011000c0001000011940002c00cc00c
        00218001000000780012000000001f90096d77697265686f7374c01fc0700001
        80010000007800040a4d0001095f7365727669636573075f646e732d7364045f
        756470c01f000c0001000011940002c011
        """;

    /// <summary>avahi-browse's PTR query carrying the instance it already knows as a known answer.</summary>
    public const string BrowseQuery = """
        000000000001000100000000085f70327073796e63045f746370056c6f63616c
        00000c0001c00c000c0001000011940007044465736bc00c
        """;

    /// <summary>Goodbye on unpublish: service records with TTL 0 (the host's A record stays at 120).</summary>
    public const string Goodbye = """
        000084000000000500000000095f7365727669636573075f646e732d7364045f
        756470056c6f63616c00000c0001000000000010085f70327073796e63045f74
        6370c023c034000c0001000000000007044465736bc034c05000218001000000
        000012000000001f90096d77697265686f7374c023c069000180010000007800
        040a4d0001c0500010800100000000002009747874766572733d310d69643d41
        42434445464748494a0770726f746f3d31
        """;

    /// <summary>Probe for the host's own names: reverse PTR and A.</summary>
    public const string ReverseProbe = """
        0000000000020000000200000131013002373702313007696e2d616464720461
        7270610000ff0001096d77697265686f7374056c6f63616c0000ff0001c02800
        0100010000007800040a4d0001c00c000c0001000000780002c028
        """;
}
