#!/usr/bin/env bash
# Node sync bench (issue 3, performance; issue 6's cost of signed records): two unmodified npm
# y-websocket clients through
#   anchor:   one @y/websocket-server process,
#   ours:     two `p2psync up` processes built from this working tree (Noise-encrypted loopback
#             link, fresh data dirs; since issue 6 every update between them is a signed record),
#   baseline: the same two processes built from commit BASELINE_REV (default 4b9654f, the last
#             commit before issue 6: no signatures), so the cost of a feature is read off the
#             same machine, the same run and the same input,
# measured by sync-bench.mjs (latency p50/p99, sustained updates/s, automerge-paper initial
# sync) and by fresh nodes catching up (empty-device time). ROUNDS rounds (default 3) run back
# to back, the order of ours and baseline alternating, so a busy machine shows as a range.
# Writes bench/results/node-sync.md (ours vs anchor, and vs baseline) and
# bench/results/spaces-sync.md (ours vs baseline, plus the signed records node B stored).
#
#   bench/node-sync/run.sh [extra sync-bench.mjs options, e.g. --samples 500 --updates 5000]
# Environment: NODE_BENCH_ARTIFACTS (default artifacts/node-bench) = Release build folder of
#              this tree; SKIP_BUILD=1 reuses it; BASELINE_REV (default 4b9654f) and
#              BASELINE_ARTIFACTS (default artifacts/node-bench-baseline): see build-baseline.sh
#              (built once per commit id, from a temporary worktree); ROUNDS (default 3);
#              FRESH_DEVICES (default 5) fresh nodes per implementation and round;
#              KEEP_WORK=1 keeps the temp folder (node logs, data dirs, raw JSON); NODE_BENCH_TMP
#              (default /tmp) is where it goes: a tmpfs there (/dev/shm) makes fsync free.
# Loopback only, no mDNS; every wait is bounded; every process started here is killed on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo=$PWD
artifacts="${NODE_BENCH_ARTIFACTS:-artifacts/node-bench}"
rounds="${ROUNDS:-3}"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive integer, not '$rounds'" >&2; exit 2; }
results="$repo/bench/results"
trace="$repo/bench/traces/sequential/automerge-paper.json.gz"
server="$repo/tests/oracle/node_modules/@y/websocket-server/src/server.js"

if [[ ! -f "$server" ]]; then
  (cd tests/oracle && timeout 300 npm ci --no-audit --no-fund)
fi
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  timeout 900 dotnet build src/P2PSync.Node -c Release -nologo -clp:ErrorsOnly --artifacts-path "$artifacts"
fi
ours_dll="$artifacts/bin/P2PSync.Node/release/p2psync.dll"
[[ -f "$ours_dll" ]] || { echo "no build at $ours_dll" >&2; exit 2; }
# What "ours" was built from, read now: the tree may move on while the bench runs.
ours_rev="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' + uncommitted changes')"
[[ "${SKIP_BUILD:-0}" != 1 ]] || ours_rev="an earlier build (SKIP_BUILD=1; tree now at $ours_rev)"
baseline_rev="${BASELINE_REV:-4b9654f}"
baseline_dll=$("$repo/bench/node-sync/build-baseline.sh" "$baseline_rev")
baseline_sha=$(git rev-parse --verify "${baseline_rev}^{commit}")

work=$(mktemp -d "${NODE_BENCH_TMP:-/tmp}/node-sync-bench.XXXXXX")
pids=()
# shellcheck source=../lib/processes.sh
source "$repo/bench/lib/processes.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

node_dll="" # the build the helpers below run: set per implementation by measure_node
p2p() { timeout 60 dotnet "$node_dll" "$@"; }

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}
api_url() { node -e "console.log(JSON.parse(require('fs').readFileSync(process.argv[1],'utf8')).url)" "$1/api.json"; }
port_of() { curl -sf "${1}api/status" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).port))"; }
connected() { curl -sf "${1}api/peers" | grep -q '"connected":true'; }

bench() {
  timeout 1200 node "$repo/bench/node-sync/sync-bench.mjs" --trace "$trace" "$@"
}

# stop_node PID: SIGTERM (the node commits what is queued and closes its store), SIGKILL after
# 15 s; the pid is then reaped and forgotten, so it is never signalled again.
stop_node() {
  local pid=$1 deadline=$((SECONDS + 15))
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local kept=() other
  for other in "${pids[@]}"; do [[ "$other" == "$pid" ]] || kept+=("$other"); done
  pids=("${kept[@]}")
}

# start_node DIR NAME: init if needed, start, wait for the API; sets api_NAME, port_NAME, id_NAME
# and last_pid.
start_node() {
  local dir=$1 name=$2
  [[ -f "$dir/device.key" ]] || p2p init --data "$dir" >/dev/null
  dotnet "$node_dll" up --data "$dir" --port 0 --api-port 0 --no-mdns --name "bench-$name" >"$dir.out" 2>"$dir.log" &
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

# record_stats DB DOCID: the signed records a stopped node stored for one document (JSON), or
# {"records":null} when its store predates signed records (the baseline).
record_stats() {
  local db=$1 doc=$2
  if [[ "$(sqlite3 -readonly "$db" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'signed_records'")" != 1 ]]; then
    echo '{"records":null}'
    return
  fi
  [[ "$doc" =~ ^[A-Za-z0-9._~-]+$ ]] || { echo "unexpected document id '$doc'" >&2; return 1; }
  sqlite3 -readonly "$db" "SELECT hex(record) FROM signed_records WHERE doc_id = '$doc' ORDER BY author, seq" \
    | node "$repo/bench/node-sync/record-stats.mjs"
}

# measure_node LABEL DLL OUT: the two-node runs and the fresh-device runs of one build, into
# OUT/LABEL.json, OUT/LABEL-one-node.json, OUT/LABEL-records.json, OUT/LABEL-fresh-devices.jsonl.
measure_node() {
  local label=$1 out=$3 dir="$3/$1"
  node_dll=$2
  mkdir -p "$dir"

  # -------------------------------------------------------------- two nodes, A and B
  local a_pid b_pid
  for n in a b; do p2p init --data "$dir/$n" >/dev/null; done
  start_node "$dir/a" a; a_pid=$last_pid
  start_node "$dir/b" b; b_pid=$last_pid
  p2p peer add --data "$dir/a" "$id_b" --addr "127.0.0.1:$port_b" >/dev/null
  p2p peer add --data "$dir/b" "$id_a" --addr "127.0.0.1:$port_a" >/dev/null
  wait_for 60 "$label: the nodes to connect" connected "$api_a"
  local keys burst paper solo
  keys=$(p2p doc new --data "$dir/a" keys)
  burst=$(p2p doc new --data "$dir/a" burst)
  paper=$(p2p doc new --data "$dir/a" paper)
  solo=$(p2p doc new --data "$dir/a" solo)
  has_docs() { local docs; docs=$(curl -sf "${api_b}api/docs") && [[ $docs == *"$keys"* && $docs == *"$burst"* && $docs == *"$paper"* && $docs == *"$solo"* ]]; }
  wait_for 60 "$label: node b to learn every document" has_docs
  echo "$label: node a ${api_a} (peer port $port_a), node b ${api_b} (peer port $port_b)" >&2
  bench --name "$label" --a "${api_a/http:/ws:}yjs" --b "${api_b/http:/ws:}yjs" \
    --keys "$keys" --burst "$burst" --paper "$paper" "${bench_args[@]}" >"$out/$label.json" || echo "$label bench reported errors (see report)" >&2
  # Diagnostic, not a goal: both clients on node A, so the difference to the run above is what
  # the encrypted node-to-node hop (and node B's store and, since issue 6, verifying) costs.
  bench --name "$label-one-node" --a "${api_a/http:/ws:}yjs" --b "${api_a/http:/ws:}yjs" \
    --keys "$solo" --skip-paper "${bench_args[@]}" >"$out/$label-one-node.json" || echo "$label one-node bench reported errors (see report)" >&2
  # Stopped before counting, so node B has committed everything it took in.
  stop_node "$a_pid"
  stop_node "$b_pid"
  node -e 'console.log(JSON.stringify({burst: JSON.parse(process.argv[1]), keys: JSON.parse(process.argv[2])}))' \
    "$(record_stats "$dir/b/node.db" "$burst")" "$(record_stats "$dir/b/node.db" "$keys")" >"$out/$label-records.json"

  # -------------------------------------------------------------- fresh devices
  # Issue 3's "time for an empty device to receive the whole automerge-paper document". For us a
  # device is a node. Node P holds only the paper. Each run starts a node Q with an empty store,
  # lets it catch up once with node W, which holds seph-blog1 (a document of the paper's size, so
  # the same code paths are warm, as the anchor's clients run in a process that is warm by then),
  # removes W again on both sides (before issue 6 documents spread to every connected peer: W
  # must never get the paper), then adds P as a peer through Q's API and reads from Q's API how
  # long it took from connecting to P until Q had applied everything P had, and until it had
  # stored it durably (connect + Noise handshake reported with it). The anchor's device is a fresh y-websocket client (the
  # "initial sync" runs above), which keeps the document in memory only.
  local p_pid w_pid paper_p paper_len warm_w
  start_node "$dir/p" p; p_pid=$last_pid
  paper_p=$(p2p doc new --data "$dir/p" paper)
  paper_len=$(load_trace "$api_p" "$paper_p" "$trace")
  start_node "$dir/w" w; w_pid=$last_pid
  warm_w=$(p2p doc new --data "$dir/w" warm)
  load_trace "$api_w" "$warm_w" "$repo/bench/traces/sequential/seph-blog1.json.gz" >/dev/null
  : >"$out/$label-fresh-devices.jsonl"
  local still_connected=0
  local i q qid qpid qapi_var qapi w_docs
  for i in $(seq 1 "${FRESH_DEVICES:-5}"); do
    q="q$i"
    p2p init --data "$dir/$q" >/dev/null
    qid=$(p2p id --data "$dir/$q")
    p2p peer add --data "$dir/w" "$qid" >/dev/null
    p2p peer add --data "$dir/p" "$qid" >/dev/null
    p2p peer add --data "$dir/$q" "$id_w" --addr "127.0.0.1:$port_w" >/dev/null
    start_node "$dir/$q" "$q"
    qpid=$last_pid
    qapi_var="api_$q"; qapi=${!qapi_var}
    wait_for 120 "$label: node $q to catch up with w" caught_up "$qapi" "$id_w"
    # Both sides forget each other: since issue 6 a device W added is a member of W's personal
    # space, and a shared space alone keeps two devices connected.
    p2p peer remove --data "$dir/w" "$qid" >/dev/null
    p2p peer remove --data "$dir/$q" "$id_w" >/dev/null
    if ! wait_for 10 "$label: node $q to drop w" disconnected_from "$qapi" "$id_w"; then
      # Only harmless since issue 6 (W is a member of none of P's spaces, so it can never see the
      # paper; checked below), and a finding of its own: a removed device keeps its connection.
      echo "$label: node $q is still connected to w after both removed each other" >&2
      still_connected=$((still_connected + 1))
    fi
    p2p peer add --data "$dir/$q" "$id_p" --addr "127.0.0.1:$port_p" >/dev/null   # Q runs: through its API
    wait_for 120 "$label: node $q to catch up with p" caught_up "$qapi" "$id_p"
    has_len "$qapi" "$paper_p" "$paper_len" || { echo "$label: node $q caught up without the whole paper" >&2; exit 1; }
    caught_up "$qapi" "$id_p" >>"$out/$label-fresh-devices.jsonl"
    w_docs=$(curl -sf "${api_w}api/docs") || { echo "$label: node w's API did not answer" >&2; exit 1; }
    [[ $w_docs != *"$paper_p"* ]] || { echo "$label: node w got the paper through node $q" >&2; exit 1; }
    stop_node "$qpid"
  done
  echo "$label fresh devices: $(tr '\n' ' ' <"$out/$label-fresh-devices.jsonl")" >&2
  echo "{\"stillConnectedToW\":$still_connected}" >"$out/$label-fresh-devices-w.json"
  stop_node "$p_pid"
  stop_node "$w_pid"
}

# ---------------------------------------------------------------- rounds
bench_args=("$@")
for round in $(seq 1 "$rounds"); do
  out="$work/round-$round"
  mkdir -p "$out"
  echo "round $round of $rounds" >&2

  anchor_port=$(free_port)
  HOST=127.0.0.1 PORT=$anchor_port node "$server" >"$out/anchor.log" 2>&1 &
  anchor_pid=$!
  pids+=("$anchor_pid")
  wait_for 30 "the anchor server" curl -sf "http://127.0.0.1:$anchor_port/"
  echo "anchor: @y/websocket-server on 127.0.0.1:$anchor_port" >&2
  bench --name anchor --a "ws://127.0.0.1:$anchor_port" --b "ws://127.0.0.1:$anchor_port" \
    --keys keys --burst burst --paper paper "${bench_args[@]}" >"$out/anchor.json" || echo "anchor bench reported errors (see report)" >&2
  stop_node "$anchor_pid"

  # Alternating order: a machine getting busier (or quieter) during a round favours neither build.
  if ((round % 2 == 1)); then
    measure_node ours "$ours_dll" "$out"
    measure_node baseline "$baseline_dll" "$out"
  else
    measure_node baseline "$baseline_dll" "$out"
    measure_node ours "$ours_dll" "$out"
  fi
done

# ---------------------------------------------------------------- report
oracle_version() { node -e "console.log(require(process.argv[1]).version)" "$repo/tests/oracle/node_modules/$1/package.json"; }
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), .NET $(dotnet --version), Linux $(uname -r)."
load="load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
params="rounds: $rounds; per round 100 warm-up + 1000 measured keystrokes 2 ms apart, 3 runs x 10000 updates, 5 fresh clients, ${FRESH_DEVICES:-5} fresh nodes (defaults)${*:+; overridden: $*}"
data_fs=$(df -T "$work" | awk 'NR==2 {print $2}')
node -e 'const [date,machine,yjs,yWebsocket,anchorServer,params,dataFs,load,oursRev,baselineRev]=process.argv.slice(1);console.log(JSON.stringify({date,machine,node:process.version,yjs,yWebsocket,anchorServer,params,dataFs,load,oursRev,baselineRev}))' \
  "$(date -u +%Y-%m-%dT%H:%MZ)" "$machine" "$(oracle_version yjs)" "$(oracle_version y-websocket)" "$(oracle_version @y/websocket-server)" \
  "$params" "$data_fs" "$load" "$ours_rev" "${baseline_sha:0:7}" >"$work/env.json"
mkdir -p "$results"
node "$repo/bench/node-sync/report.mjs" "$work" >"$results/node-sync.md"
node "$repo/bench/node-sync/spaces-report.mjs" "$work" >"$results/spaces-sync.md"
cat "$results/node-sync.md" "$results/spaces-sync.md"
