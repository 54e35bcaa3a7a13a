#!/usr/bin/env bash
# mDNS bench (issue 4, performance), on a two-host LAN made of network namespaces (needs root):
#   anchor: avahi itself. avahi-publish in namespace A, a continuous avahi-browse in B: time from
#           the publish until B lists/resolves the service, and from SIGTERM of the publisher
#           until B reports it removed.
#   ours:   two `p2psync up` (Release) that trust each other WITHOUT addresses: time from the second
#           node's start (and from its "up" banner) until both list the other nearby and both report
#           the other connected; and from SIGTERM of one until the other drops it from nearby.
# Goals: discovery under 1 s, removal under 1 s after a goodbye. Prints the report and writes
# bench/results/mdns.md (report.py).
#
#   bench/mdns/run.sh [--rounds N] [--only anchor|ours]   (default 5 rounds of each)
# Environment: MDNS_BENCH_ARTIFACTS (default artifacts/mdns-bench) = Release build folder;
#              SKIP_BUILD=1 reuses an existing build; KEEP_WORK=1 keeps the temp folder.
# Traffic stays on the veth pair between the two namespaces made here; every wait is bounded;
# every process and namespace made here is removed on exit (also on Ctrl-C).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo=$PWD
artifacts="${MDNS_BENCH_ARTIFACTS:-artifacts/mdns-bench}"
out="$repo/bench/results/mdns.md"

[[ "$(id -u)" == 0 ]] || { echo "bench/mdns needs root (network namespaces)" >&2; exit 2; }
for tool in ip unshare nsenter dbus-daemon avahi-daemon avahi-browse avahi-publish python3; do
  command -v "$tool" >/dev/null || { echo "bench/mdns needs $tool (apt-get install iproute2 util-linux dbus avahi-daemon avahi-utils)" >&2; exit 2; }
done
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  timeout 600 dotnet build src/P2PSync.Node -c Release -nologo -clp:ErrorsOnly --artifacts-path "$artifacts"
fi
dll="$(cd "$artifacts" && pwd)/bin/P2PSync.Node/release/p2psync.dll"
[[ -f "$dll" ]] || { echo "no build at $dll" >&2; exit 2; }

source bench/lib/netns.sh
netns_pair "bench$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
work=$(mktemp -d /tmp/mdns-bench.XXXXXX)
holders=()
cleanup() {
  for pid in "${holders[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  netns_remove # and with them the nodes, avahi and dbus
  if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- the LAN (see tests/P2PSync.Interop.Tests/Mdns/README.md)
netns_veth mdns0
n=1
for ns in "$ns_a" "$ns_b"; do
  ip netns exec "$ns" sh -c 'echo 0 > /proc/sys/net/ipv6/conf/mdns0/accept_dad'
  ip -n "$ns" addr add "10.77.200.$n/24" dev mdns0
  ip -n "$ns" addr add "fd00:77:200::$n/64" dev mdns0 nodad
  ip -n "$ns" link set mdns0 up
  ip -n "$ns" route add 224.0.0.0/4 dev mdns0
  n=$((n + 1))
done

# ---------------------------------------------------------------- avahi in each namespace
cat >"$work/holder.sh" <<'SH'
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
SH
for side in a b; do
  cat >"$work/avahi-$side.conf" <<CONF
[server]
host-name=avahi-bench-$side
use-ipv4=yes
use-ipv6=yes
allow-interfaces=mdns0
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
CONF
  ns_var="ns_$side"
  # setsid: the holder leads its own process group, so the trap can kill dbus and avahi with it.
  setsid ip netns exec "${!ns_var}" unshare -m --propagation private sh "$work/holder.sh" "$work/avahi-$side.conf" >"$work/avahi-$side.log" 2>&1 &
  holders+=("$!")
  disown "$!" # killed by the trap; no "Killed" job notice
done
for side in a b; do
  deadline=$((SECONDS + 20))
  until grep -q "Server startup complete" "$work/avahi-$side.log"; do
    if ((SECONDS >= deadline)); then echo "avahi in $side did not start:" >&2; cat "$work/avahi-$side.log" >&2; exit 1; fi
    sleep 0.1
  done
done
echo "LAN: $ns_a <-> $ns_b (10.77.200.0/24, fd00:77:200::/64), avahi in both" >&2

# ---------------------------------------------------------------- measure
# Node and avahi share namespace A: our node must coexist with another responder on port 5353.
timeout 1800 python3 "$repo/bench/mdns/measure.py" --dll "$dll" --ns-a "$ns_a" --ns-b "$ns_b" \
  --holder-a "${holders[0]}" --holder-b "${holders[1]}" --work "$work" "$@" >"$work/results.json"

# ---------------------------------------------------------------- report
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), .NET $(dotnet --version), Linux $(uname -r), $(avahi-daemon --version 2>/dev/null | head -1)"
mkdir -p "$(dirname "$out")"
python3 "$repo/bench/mdns/report.py" "$work/results.json" "$(date -u +%Y-%m-%dT%H:%MZ)" "$machine" >"$out"
cat "$out"
