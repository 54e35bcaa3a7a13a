#!/usr/bin/env bash
# Relay signalling bench: ours vs y-webrtc's bin/server.js, same run; writes bench/results/relay-signal.md.
# Arguments go to bench.mjs: [--rounds N] [--warm-ms MS] [--idle 1000,10000|0] [--out FILE.md]
# BENCH_ARTIFACTS (default artifacts/bench) is where the Release build of the relay goes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if [[ ! -d tests/oracle/node_modules/y-webrtc ]]; then
  (cd tests/oracle && npm ci --no-audit --no-fund)
fi
artifacts="${BENCH_ARTIFACTS:-artifacts/bench}"
dotnet build src/P2PSync.Relay -c Release -nologo -clp:ErrorsOnly --artifacts-path "$artifacts"
args=("$@")
[[ " ${args[*]-} " == *" --out "* ]] || args+=(--out bench/results/relay-signal.md)
exec node bench/relay-signal/bench.mjs "$artifacts/bin/P2PSync.Relay/release/P2PSync.Relay.dll" "${args[@]}"
