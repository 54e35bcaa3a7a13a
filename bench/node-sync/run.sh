#!/usr/bin/env bash
# Node sync bench (issue 3, performance): two unmodified npm y-websocket clients through
#   anchor: one @y/websocket-server process, and
#   ours:   two `p2psync up` processes (Noise-encrypted loopback link, fresh data dirs),
# measured by sync-bench.mjs (latency p50/p99, sustained updates/s, automerge-paper initial
# sync). Prints the report and writes bench/results/node-sync.md.
#
#   bench/node-sync/run.sh [extra sync-bench.mjs options, e.g. --samples 500 --updates 5000]
# Environment: NODE_BENCH_ARTIFACTS (default artifacts/node-bench) = Release build folder;
#              SKIP_BUILD=1 reuses an existing build; KEEP_WORK=1 keeps the temp folder
#              (node logs, data dirs, raw JSON); NODE_BENCH_TMP (default /tmp) is where it goes:
#              a tmpfs there (/dev/shm) makes fsync free, which shows what durability costs.
# Loopback only; every wait is bounded; every process started here is killed on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo=$PWD
artifacts="${NODE_BENCH_ARTIFACTS:-artifacts/node-bench}"
out="$repo/bench/results/node-sync.md"
trace="$repo/bench/traces/sequential/automerge-paper.json.gz"
server="$repo/tests/oracle/node_modules/@y/websocket-server/src/server.js"

if [[ ! -f "$server" ]]; then
  (cd tests/oracle && timeout 300 npm ci --no-audit --no-fund)
fi
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  timeout 600 dotnet build src/P2PSync.Node -c Release -nologo -clp:ErrorsOnly --artifacts-path "$artifacts"
fi
dll="$artifacts/bin/P2PSync.Node/release/p2psync.dll"
[[ -f "$dll" ]] || { echo "no build at $dll" >&2; exit 2; }

work=$(mktemp -d "${NODE_BENCH_TMP:-/tmp}/node-sync-bench.XXXXXX")
pids=()
# shellcheck source=../lib/processes.sh
source "$repo/bench/lib/processes.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

p2p() { timeout 60 dotnet "$dll" "$@"; }

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}


api_url() { node -e "console.log(JSON.parse(require('fs').readFileSync(process.argv[1],'utf8')).url)" "$1/api.json"; }

bench() {
  timeout 1200 node "$repo/bench/node-sync/sync-bench.mjs" --trace "$trace" "$@"
}

# ---------------------------------------------------------------- anchor
anchor_port=$(free_port)
HOST=127.0.0.1 PORT=$anchor_port node "$server" >"$work/anchor.log" 2>&1 &
anchor_pid=$!
pids+=("$anchor_pid")
wait_for 30 "the anchor server" curl -sf "http://127.0.0.1:$anchor_port/"
echo "anchor: @y/websocket-server on 127.0.0.1:$anchor_port" >&2
bench --name anchor --a "ws://127.0.0.1:$anchor_port" --b "ws://127.0.0.1:$anchor_port" \
  --keys keys --paper paper "$@" >"$work/anchor.json" || echo "anchor bench reported errors (see report)" >&2
kill "$anchor_pid" 2>/dev/null || true; wait "$anchor_pid" 2>/dev/null || true
pids=() # reaped: never signal its pid again, it may belong to someone else by now

# ---------------------------------------------------------------- ours
for n in a b; do p2p init --data "$work/$n" >/dev/null; done
id_a=$(p2p id --data "$work/a")
id_b=$(p2p id --data "$work/b")
for n in a b; do
  dotnet "$dll" up --data "$work/$n" --port 0 --api-port 0 --no-mdns --name "bench-$n" >"$work/$n.out" 2>"$work/$n.log" &
  pids+=("$!")
done
for n in a b; do wait_for 60 "node $n's api.json" test -s "$work/$n/api.json"; done
api_a=$(api_url "$work/a")
api_b=$(api_url "$work/b")
wait_for 30 "node a's API" curl -sf "${api_a}api/status"
wait_for 30 "node b's API" curl -sf "${api_b}api/status"
port_of() { curl -sf "${1}api/status" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).port))"; }
port_a=$(port_of "$api_a")
port_b=$(port_of "$api_b")
p2p peer add --data "$work/a" "$id_b" --addr "127.0.0.1:$port_b" >/dev/null
p2p peer add --data "$work/b" "$id_a" --addr "127.0.0.1:$port_a" >/dev/null
connected() { curl -sf "${1}api/peers" | grep -q '"connected":true'; }
wait_for 60 "the nodes to connect" connected "$api_a"
keys=$(p2p doc new --data "$work/a" keys)
paper=$(p2p doc new --data "$work/a" paper)
solo=$(p2p doc new --data "$work/a" solo)
has_docs() { local docs; docs=$(curl -sf "${api_b}api/docs") && [[ $docs == *"$keys"* && $docs == *"$paper"* && $docs == *"$solo"* ]]; }
wait_for 60 "node b to learn both documents" has_docs
echo "ours: node a ${api_a} (peer port $port_a), node b ${api_b} (peer port $port_b)" >&2
bench --name ours --a "${api_a/http:/ws:}yjs" --b "${api_b/http:/ws:}yjs" \
  --keys "$keys" --paper "$paper" "$@" >"$work/ours.json" || echo "our bench reported errors (see report)" >&2
# Diagnostic, not a goal: both clients on node A, so the difference to the run above is what
# the encrypted node-to-node hop (and node B's store) costs.
bench --name ours-one-node --a "${api_a/http:/ws:}yjs" --b "${api_a/http:/ws:}yjs" \
  --keys "$solo" --skip-paper "$@" >"$work/ours-one-node.json" || echo "one-node bench reported errors (see report)" >&2

# ---------------------------------------------------------------- fresh device
# Issue 3's "time for an empty device to receive the whole automerge-paper document". For us a
# device is a node. Node P holds only the paper. Each run starts a node Q with an empty store,
# lets it catch up once with node W, which holds seph-blog1 (a document of the paper's size, so
# the same code paths are warm, as the anchor's clients run in a process that is warm by then),
# removes W again (documents spread to every connected peer: W must never get the paper), then
# adds P as a peer through Q's API and reads from Q's API how long it took from connecting to P
# until Q had applied everything P had, and until it had stored it durably (connect + Noise
# handshake reported with it). The anchor's device is a fresh y-websocket client (the
# "initial sync" runs above), which keeps the document in memory only.
start_node() { # NAME: init, start, wait for the API; sets api_NAME, port_NAME, id_NAME
  local name=$1 dir="$work/$1"
  [[ -f "$dir/device.key" ]] || p2p init --data "$dir" >/dev/null
  dotnet "$dll" up --data "$dir" --port 0 --api-port 0 --no-mdns --name "bench-$name" >"$dir.out" 2>"$dir.log" &
  pids+=("$!")
  last_pid=$!
  wait_for 60 "node $name's api.json" test -s "$dir/api.json"
  local api
  api=$(api_url "$dir")
  wait_for 30 "node $name's API" curl -sf "${api}api/status"
  printf -v "api_$name" '%s' "$api"
  printf -v "port_$name" '%s' "$(port_of "$api")"
  printf -v "id_$name" '%s' "$(p2p id --data "$dir")"
}
text_len() { curl -sf "${1}api/docs/$2" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).text.length))"; }
has_len() { [[ "$(text_len "$1" "$2")" == "$3" ]]; }
load_trace() { # API DOC TRACE: uploads the trace and waits until the node holds all of it
  local len
  len=$(timeout 120 node "$repo/bench/node-sync/load-doc.mjs" --url "${1/http:/ws:}yjs" --room "$2" --trace "$3" \
    | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).textLength))")
  wait_for 60 "the node to hold $3" has_len "$1" "$2" "$len"
  echo "$len"
}
caught_up() { # API DEVICEID: prints {connectMs, caughtUpMs, durableMs} once that peer's catch-up is recorded
  curl -sf "${1}api/peers" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const p=JSON.parse(s).find(x=>x.deviceId===process.argv[1]&&x.durableMs!=null);if(!p)process.exit(1);console.log(JSON.stringify({connectMs:p.connectMs,caughtUpMs:p.caughtUpMs,durableMs:p.durableMs}))})" "$2"
}
disconnected_from() { # API DEVICEID: succeeds once that device is no longer a connected peer
  curl -sf "${1}api/peers" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>process.exit(JSON.parse(s).some(x=>x.deviceId===process.argv[1]&&x.connected)?1:0))" "$2"
}
start_node p
paper_p=$(p2p doc new --data "$work/p" paper)
paper_len=$(load_trace "$api_p" "$paper_p" "$trace")
start_node w
warm_w=$(p2p doc new --data "$work/w" warm)
load_trace "$api_w" "$warm_w" "$repo/bench/traces/sequential/seph-blog1.json.gz" >/dev/null
: >"$work/fresh-devices.jsonl"
for i in $(seq 1 "${FRESH_DEVICES:-5}"); do
  q="q$i"
  p2p init --data "$work/$q" >/dev/null
  qid=$(p2p id --data "$work/$q")
  p2p peer add --data "$work/w" "$qid" >/dev/null
  p2p peer add --data "$work/p" "$qid" >/dev/null
  p2p peer add --data "$work/$q" "$id_w" --addr "127.0.0.1:$port_w" >/dev/null
  start_node "$q"
  qpid=$last_pid
  qapi_var="api_$q"; qapi=${!qapi_var}
  wait_for 120 "node $q to catch up with w" caught_up "$qapi" "$id_w"
  p2p peer remove --data "$work/$q" "$id_w" >/dev/null
  wait_for 30 "node $q to drop w" disconnected_from "$qapi" "$id_w"
  p2p peer add --data "$work/$q" "$id_p" --addr "127.0.0.1:$port_p" >/dev/null   # Q runs: through its API
  wait_for 120 "node $q to catch up with p" caught_up "$qapi" "$id_p"
  has_len "$qapi" "$paper_p" "$paper_len" || { echo "node $q caught up without the whole paper" >&2; exit 1; }
  caught_up "$qapi" "$id_p" >>"$work/fresh-devices.jsonl"
  kill "$qpid" 2>/dev/null || true
  wait "$qpid" 2>/dev/null || true
  pids=("${pids[@]/$qpid}") # reaped: never signal this pid again
done
echo "fresh devices: $(tr '\n' ' ' <"$work/fresh-devices.jsonl")" >&2

# ---------------------------------------------------------------- report
oracle_version() { node -e "console.log(require(process.argv[1]).version)" "$repo/tests/oracle/node_modules/$1/package.json"; }
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), .NET $(dotnet --version), Linux $(uname -r)."
params="100 warm-up + 1000 measured keystrokes 2 ms apart, 3 runs x 10000 updates, 5 fresh clients (defaults)${*:+; overridden: $*}"
data_fs=$(df -T "$work" | awk 'NR==2 {print $2}')
node -e 'console.log(JSON.stringify({date:process.argv[1],machine:process.argv[2],node:process.version,yjs:process.argv[3],yWebsocket:process.argv[4],anchorServer:process.argv[5],params:process.argv[6],dataFs:process.argv[7]}))' \
  "$(date -u +%Y-%m-%dT%H:%MZ)" "$machine" "$(oracle_version yjs)" "$(oracle_version y-websocket)" "$(oracle_version @y/websocket-server)" "$params" "$data_fs" >"$work/env.json"
mkdir -p "$(dirname "$out")"
node "$repo/bench/node-sync/report.mjs" "$work/anchor.json" "$work/ours.json" "$work/env.json" "$work/ours-one-node.json" "$work/fresh-devices.jsonl" >"$out"
cat "$out"
