namespace P2PSync.Interop.Tests.Mdns;

/// <summary>
/// The avahi-daemon.conf and the start script of one private avahi (see README.md in this folder
/// for the recipe and why each line is there).
/// </summary>
internal static class AvahiConfig
{
    /// <summary>
    /// Only the veth, both address families, no AAAA over IPv4 (each family answers for itself,
    /// which keeps what avahi-browse prints per protocol unambiguous), no extra records that would
    /// only add traffic, and no rate limit so a test's bursts are answered at once.
    /// </summary>
    public static string DaemonConf(string hostName, string interfaceName) => $"""
        [server]
        host-name={hostName}
        use-ipv4=yes
        use-ipv6=yes
        allow-interfaces={interfaceName}
        enable-dbus=yes
        disallow-other-stacks=no
        ratelimit-interval-usec=0
        [wide-area]
        enable-wide-area=no
        [publish]
        publish-aaaa-on-ipv4=no
        publish-a-on-ipv6=no
        publish-hinfo=no
        publish-workstation=no
        [reflector]
        enable-reflector=no
        """;

    /// <summary>
    /// Runs inside <c>unshare -m</c> in the namespace: a private /run so this avahi and its own
    /// system bus never meet the host's (or the other namespace's), then dbus, then avahi, both as
    /// children so killing this shell's process tree ends them. $1 = the avahi config file.
    /// </summary>
    public const string HolderScript = """
        set -e
        mount -t tmpfs tmpfs /run
        mkdir -p /run/dbus /run/avahi-daemon
        dbus-daemon --system --nofork --nopidfile &
        i=0
        while [ ! -S /run/dbus/system_bus_socket ]; do
          i=$((i+1)); if [ $i -gt 200 ]; then echo "dbus-daemon did not start" >&2; exit 1; fi
          sleep 0.05
        done
        avahi-daemon --no-drop-root --no-rlimits --no-chroot -f "$1" &
        wait
        """;
}
