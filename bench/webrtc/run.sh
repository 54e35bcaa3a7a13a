#!/usr/bin/env bash
# WebRTC data-channel bench (issue 8, performance): bulk throughput and small-message latency over
# one data channel, ours <-> ours against werift <-> werift and Chromium <-> Chromium, in one run.
# Two network namespaces joined by a veth pair (the layout of tests/P2PSync.Interop.Tests/WebRtc/
# VethLan.cs), side A of every pair in one, side B in the other; signalling relayed by bench.mjs.
#   bulk:    64 MiB in 64 KiB messages over one reliable ordered channel, bufferedAmount
#            backpressure; MiB/s measured at the receiver.
#   latency: 2000 ping-pongs of 32-byte binary messages; p50/p99 round-trip time.
# Also: CPU of both peers per MiB / per round trip, kernel UDP receive-buffer drops, idle CPU.
# Goals: ours/werift >= 2 and ours/Chromium >= 0.5 in throughput. Prints the report and writes
# bench/results/webrtc.md (report.mjs). First checks that the drivers refuse bad commands.
# Details and the driver protocol: bench/webrtc/README.md.
#
#   bench/webrtc/run.sh [--quick] [--rounds N] [--only ours,werift,chromium] [--bulk-mib N] [--pings N] [--seed N]
#     --quick: one round of 16 MiB and 500 pings (about a minute), not written to bench/results.
#     Default: 7 rounds of 64 MiB and 2000 pings (about 5 minutes).
# Needs root (network namespaces), ip, node with `npm ci` in tests/oracle, /usr/bin/chromium.
# Environment: WEBRTC_BENCH_ARTIFACTS (default artifacts/webrtc-bench) = Release build folder;
#              SKIP_BUILD=1 reuses an existing build; KEEP_WORK=1 keeps the temp folder (driver logs,
#              raw JSON).
# Every process and both namespaces made here are removed on exit, also on Ctrl-C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo=$PWD
artifacts="${WEBRTC_BENCH_ARTIFACTS:-artifacts/webrtc-bench}"
out="$repo/bench/results/webrtc.md"

[[ "$(id -u)" == 0 ]] || { echo "bench/webrtc needs root: it makes two network namespaces and a veth pair (run it as root, e.g. sudo)" >&2; exit 2; }
for tool in ip node dotnet; do
  command -v "$tool" >/dev/null || { echo "bench/webrtc needs $tool" >&2; exit 2; }
done
[[ -x "${P2PSYNC_CHROMIUM:-/usr/bin/chromium}" ]] || { echo "bench/webrtc needs /usr/bin/chromium (apt-get install chromium)" >&2; exit 2; }
if [[ ! -d tests/oracle/node_modules/werift || ! -d tests/oracle/node_modules/playwright-core ]]; then
  (cd tests/oracle && timeout 300 npm ci --no-audit --no-fund)
fi

args=()
quick=0
for arg in "$@"; do
  if [[ "$arg" == --quick ]]; then quick=1; else args+=("$arg"); fi
done
if ((quick)); then
  args=(--rounds 1 --bulk-mib 16 --pings 500 "${args[@]}")
fi

# Our driver is built unless --only leaves ours out.
only="ours,werift,chromium"
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ "${args[i]}" == --only ]]; then only="${args[i + 1]:-}"; fi
done
dll=""
if [[ ",$only," == *,ours,* ]]; then
  if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    timeout 900 dotnet build bench/P2PSync.WebRtcBench -c Release -nologo -clp:ErrorsOnly --artifacts-path "$artifacts"
  fi
  dll="$(cd "$artifacts" && pwd)/bin/P2PSync.WebRtcBench/release/P2PSync.WebRtcBench.dll"
  [[ -f "$dll" ]] || { echo "no build at $dll" >&2; exit 2; }
fi

source bench/lib/netns.sh
tag="wb$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
netns_pair "$tag"
work=$(mktemp -d /tmp/webrtc-bench.XXXXXX)
bench_pid=""
cleanup() {
  if [[ -n "$bench_pid" ]]; then kill "$bench_pid" 2>/dev/null || true; wait "$bench_pid" 2>/dev/null || true; fi
  netns_remove # and with them the drivers, Chromium and its helpers
  if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- the wire
subnet=$((1 + 0x${tag:2:2} % 250))
netns_veth wrtc0
host=1
for ns in "$ns_a" "$ns_b"; do
  ip -n "$ns" addr add "10.78.$subnet.$host/24" dev wrtc0
  ip -n "$ns" link set wrtc0 up
  host=$((host + 1))
done
# Chromium gathers no candidates without a default route. Each side's points at the other, which
# does not forward (a fresh namespace has ip_forward 0): nothing leaves this wire.
ip -n "$ns_a" route add default via "10.78.$subnet.2"
ip -n "$ns_b" route add default via "10.78.$subnet.1"
echo "wire: $ns_a (10.78.$subnet.1) <-> $ns_b (10.78.$subnet.2)" >&2

# ---------------------------------------------------------------- check the drivers
# Bad commands are refused with a reason and the drivers keep serving (seeded mutations; no peer is
# made, so nothing is sent on the wire).
ours_args=()
if [[ -n "$dll" ]]; then ours_args=(--ours "$dll"); fi
timeout 300 node bench/webrtc/check-drivers.mjs --ns "$ns_a" --work "$work" "${ours_args[@]}" --mutations "$((quick ? 100 : 300))"

# ---------------------------------------------------------------- measure
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
# In the background and waited for, so Ctrl-C reaches the trap at once.
timeout 1200 node bench/webrtc/bench.mjs --ns-a "$ns_a" --ns-b "$ns_b" --work "$work" --out "$work/results.json" \
  "${ours_args[@]}" "${args[@]}" &
bench_pid=$!
wait "$bench_pid"
bench_pid=""

# ---------------------------------------------------------------- report
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), .NET $(dotnet --version), node $(node --version), Linux $(uname -r); load average $load_before at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
report="$work/webrtc.md"
node bench/webrtc/report.mjs "$work/results.json" "$(date -u +%Y-%m-%dT%H:%MZ)" "$machine" "$quick" >"$report"
if ((quick)); then
  echo "(--quick: not written to bench/results)" >&2
else
  mkdir -p "$(dirname "$out")"
  cp "$report" "$out"
fi
cat "$report"
