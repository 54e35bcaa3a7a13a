#!/usr/bin/env bash
# Handoff bench (issue 5, performance): offer -> B ready latency between two `p2psync up`
# processes on loopback (Noise-encrypted link, --no-mdns), measured by handoff-bench.mjs from the
# nodes' local APIs and handoff event streams:
#   small: a short document both nodes have; push (A offers, B accepts on its `offered` event)
#          and pull, alternating, after warm-up.
#   large: automerge-paper (loaded into A with bench/node-sync/load-doc.mjs) and a 5 MiB
#          document, each lacked entirely by B: each run a fresh node B that has never seen
#          them, warmed on another node first, pulls A's activity at the first moment it can.
#          (A pull, not a push: plain sync sends the documents on the same new connection, and
#          an offer's extra round trip only lets it get further first; the small runs show what
#          the offer/accept leg adds.)
# Anchor (the floor): floor.mjs copies the same number of bytes (the paper's v1 update; the 5 MiB
# document's transfer) over an established loopback TCP connection to another process, with a
# one-byte ack, in the same run.
# Prints the report and writes bench/results/handoff.md.
#
#   bench/handoff/run.sh
# Environment: HANDOFF_BENCH_ARTIFACTS (default artifacts/handoff-bench) = Release build folder;
#              SKIP_BUILD=1 reuses an existing build; KEEP_WORK=1 keeps the temp folder (node
#              logs, data dirs, raw JSON); SMALL_SAMPLES (default 30 per direction);
#              LARGE_RUNS (default 5 fresh receivers); HANDOFF_BENCH_TMP (default /tmp).
# Loopback only; every wait is bounded; every process started here is stopped on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo=$PWD
artifacts="${HANDOFF_BENCH_ARTIFACTS:-artifacts/handoff-bench}"
out="$repo/bench/results/handoff.md"
trace="$repo/bench/traces/sequential/automerge-paper.json.gz"
warm_trace="$repo/bench/traces/sequential/seph-blog1.json.gz"
small_samples="${SMALL_SAMPLES:-30}"
large_runs="${LARGE_RUNS:-5}"

if [[ ! -d tests/oracle/node_modules/y-websocket ]]; then
  (cd tests/oracle && timeout 300 npm ci --no-audit --no-fund)
fi
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  timeout 900 dotnet build src/P2PSync.Node -c Release -nologo -clp:ErrorsOnly --artifacts-path "$artifacts"
fi
dll="$artifacts/bin/P2PSync.Node/release/p2psync.dll"
[[ -f "$dll" ]] || { echo "no build at $dll" >&2; exit 2; }

work=$(mktemp -d "${HANDOFF_BENCH_TMP:-/tmp}/handoff-bench.XXXXXX")
pids=()
# shellcheck source=../lib/processes.sh
source "$repo/bench/lib/processes.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

p2p() { timeout 60 dotnet "$dll" "$@"; }


json() { # JSON-TEXT EXPRESSION: prints the expression evaluated on the parsed JSON (as `x`)
  node -e "const x=JSON.parse(process.argv[1]);const v=($2);console.log(typeof v==='object'?JSON.stringify(v):v)" "$1"
}
api_url() { json "$(cat "$1/api.json")" 'x.url'; }
port_of() { json "$(curl -sf "${1}api/status")" 'x.port'; }

start_node() { # NAME: init, start, wait for the API; sets api_NAME, port_NAME, id_NAME, last_pid
  local name=$1 dir="$work/$1"
  [[ -f "$dir/device.key" ]] || p2p init --data "$dir" >/dev/null
  dotnet "$dll" up --data "$dir" --port 0 --api-port 0 --no-mdns --name "bench-$name" >"$dir.out" 2>"$dir.log" &
  last_pid=$!
  pids+=("$last_pid")
  wait_for 60 "node $name's api.json" test -s "$dir/api.json"
  local api
  api=$(api_url "$dir")
  wait_for 30 "node $name's API" curl -sf "${api}api/status"
  printf -v "api_$name" '%s' "$api"
  printf -v "port_$name" '%s' "$(port_of "$api")"
  printf -v "id_$name" '%s' "$(p2p id --data "$dir")"
}
stop_node() { # PID: graceful stop, bounded, and never signalled again
  local pid=$1 deadline=$((SECONDS + 10))
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # Reaped: never signal this pid again (it may belong to someone else by now).
  local kept=() p
  for p in "${pids[@]}"; do [[ "$p" == "$pid" ]] || kept+=("$p"); done
  pids=("${kept[@]}")
}
connected() { # API DEVICEID
  json "$(curl -sf "${1}api/peers")" "x.some(p=>p.deviceId==='$2'&&p.connected)?'yes':''" | grep -q yes
}
disconnected_from() { ! connected "$@"; }
text_len() { # API DOC (piped: a document's JSON can be far larger than an argument may be)
  curl -sf "${1}api/docs/$2" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).text.length))"
}
has_len() { [[ "$(text_len "$1" "$2")" == "$3" ]]; }
load_trace() { # API DOC TRACE: uploads the trace; prints {updateBytes,textLength} once the node holds all of it
  local loaded len
  loaded=$(timeout 120 node "$repo/bench/node-sync/load-doc.mjs" --url "${1/http:/ws:}yjs" --room "$2" --trace "$3")
  len=$(json "$loaded" 'x.textLength')
  wait_for 60 "the node to hold $3" has_len "$1" "$2" "$len"
  echo "$loaded"
}
put_activity() { # API DOC CURSOR
  curl -sf -X PUT -H 'content-type: application/json' "${1}api/activity" \
    -d "{\"documents\":[{\"id\":\"$2\",\"cursor\":$3,\"anchor\":0}],\"state\":{\"panel\":\"editor\",\"zoom\":1}}" >/dev/null
}
bench() { timeout 1500 node "$repo/bench/handoff/handoff-bench.mjs" "$@"; }

# ---------------------------------------------------------------- small activity
start_node a
start_node b
p2p peer add --data "$work/a" "$id_b" --addr "127.0.0.1:$port_b" >/dev/null
p2p peer add --data "$work/b" "$id_a" --addr "127.0.0.1:$port_a" >/dev/null
wait_for 60 "a and b to connect" connected "$api_a" "$id_b"
small=$(p2p doc new --data "$work/a" small)
p2p doc append --data "$work/a" "$small" "Hello from a. A short document." >/dev/null
wait_for 60 "b to have the short document" has_len "$api_b" "$small" 31
echo "small: $small on a ${api_a} and b ${api_b}" >&2
bench --mode small --a "$api_a" --b "$api_b" --a-id "$id_a" --b-id "$id_b" --doc "$small" --samples "$small_samples" >"$work/small.json"

# ---------------------------------------------------------------- large: documents B lacks
# A holds the paper and later a 5 MiB document; b must never get them (documents spread to
# every connected peer), so b leaves first.
p2p peer remove --data "$work/a" "$id_b" >/dev/null
wait_for 30 "a to drop b" disconnected_from "$api_a" "$id_b"
paper=$(p2p doc new --data "$work/a" paper)
paper_loaded=$(load_trace "$api_a" "$paper" "$trace")
paper_len=$(json "$paper_loaded" 'x.textLength')
echo "large: automerge-paper $paper on a: $paper_loaded" >&2
# W warms every fresh receiver (a document of the paper's size and a handoff of it) so the
# measured run does not pay for the receiver's first-ever decode and JIT, as a device that has
# been running a while would not; W never sees A's documents.
start_node w
warm=$(p2p doc new --data "$work/w" warm)
load_trace "$api_w" "$warm" "$warm_trace" >/dev/null
: >"$work/large.jsonl"
fresh_receiver_run() { # NAME DOC TEXT-LENGTH LABEL: a new node, warmed on w, then pulls a's activity on DOC
  local q=$1 doc=$2 len=$3 label=$4 qid qpid qapi qapi_var
  p2p init --data "$work/$q" >/dev/null
  qid=$(p2p id --data "$work/$q")
  p2p peer add --data "$work/w" "$qid" >/dev/null
  p2p peer add --data "$work/$q" "$id_w" --addr "127.0.0.1:$port_w" >/dev/null
  start_node "$q"
  qpid=$last_pid
  qapi_var="api_$q"; qapi=${!qapi_var}
  wait_for 60 "node $q to connect to w" connected "$qapi" "$id_w"
  wait_for 120 "node $q to catch up with w" has_len "$qapi" "$warm" "$(text_len "$api_w" "$warm")"
  put_activity "$api_w" "$warm" 100
  bench --mode large --via pull --a "$api_w" --b "$qapi" --a-id "$id_w" --b-id "$qid" --doc "$warm" >/dev/null \
    || { echo "warm-up handoff w -> $q failed" >&2; return 1; }
  p2p peer remove --data "$work/$q" "$id_w" >/dev/null
  p2p peer remove --data "$work/w" "$qid" >/dev/null
  wait_for 30 "node $q to drop w" disconnected_from "$qapi" "$id_w"
  # The measured run: a's activity is DOC; q is introduced to a and pulls at the first chance.
  put_activity "$api_a" "$doc" $((len / 2))
  p2p peer add --data "$work/a" "$qid" >/dev/null
  bench --mode large --via pull --dial "127.0.0.1:$port_a" --label "$label" --a "$api_a" --b "$qapi" --a-id "$id_a" --b-id "$qid" --doc "$doc" --text-length "$len" >>"$work/large.jsonl" \
    || { echo "handoff of $label a -> $q failed" >&2; return 1; }
  p2p peer remove --data "$work/a" "$qid" >/dev/null
  stop_node "$qpid"
}
for i in $(seq 1 "$large_runs"); do fresh_receiver_run "p$i" "$paper" "$paper_len" paper; done
# Only now the 5 MiB document: while it exists, plain sync sends it to every new receiver too, and
# that would compete with the paper runs for the same connection and cores.
big=$(p2p doc new --data "$work/a" big)
for i in 0 1 2 3 4; do
  node -e 'fetch(process.argv[1],{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify({text:`<${process.argv[2]}>`+"x".repeat(1048576-3)})}).then(r=>process.exit(r.ok?0:1))' \
    "${api_a}api/docs/$big/append" "$i"
done
big_len=$(text_len "$api_a" "$big")
for i in $(seq 1 "$large_runs"); do fresh_receiver_run "g$i" "$big" "$big_len" big; done
echo "large runs: $(tr '\n' ' ' <"$work/large.jsonl")" >&2

# ---------------------------------------------------------------- floor
# The same bytes over loopback TCP: the paper's v1 update (as uploaded) and the 5 MiB document's
# largest handoff transfer.
paper_bytes=$(json "$paper_loaded" 'x.updateBytes')
big_bytes=$(node -e 'const l=require("fs").readFileSync(process.argv[1],"utf8").split("\n").filter(Boolean).map(JSON.parse).filter(r=>r.label==="big");console.log(Math.max(5242880,...l.map(r=>r.bytesTotal)))' "$work/large.jsonl")
timeout 180 node "$repo/bench/handoff/floor.mjs" --bytes "$paper_bytes" --samples 30 >"$work/floor-paper.json"
timeout 180 node "$repo/bench/handoff/floor.mjs" --bytes "$big_bytes" --samples 15 >"$work/floor-big.json"

# ---------------------------------------------------------------- report
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), .NET $(dotnet --version), Linux $(uname -r)."
data_fs=$(df -T "$work" | awk 'NR==2 {print $2}')
node -e 'console.log(JSON.stringify({date:process.argv[1],machine:process.argv[2],node:process.version,dataFs:process.argv[3],smallSamples:+process.argv[4],largeRuns:+process.argv[5],paper:JSON.parse(process.argv[6])}))' \
  "$(date -u +%Y-%m-%dT%H:%MZ)" "$machine" "$data_fs" "$small_samples" "$large_runs" "$paper_loaded" >"$work/env.json"
mkdir -p "$(dirname "$out")"
node "$repo/bench/handoff/report.mjs" "$work/small.json" "$work/large.jsonl" "$work/floor-paper.json" "$work/floor-big.json" "$work/env.json" >"$out"
cat "$out"
