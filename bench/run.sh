#!/usr/bin/env bash
# Runs ours vs yjs on the sequential editing traces and writes bench/results/latest.md.
# Arguments go to the runner: [--runs N] [--out FILE.md] [--node PATH] [TRACE.json.gz ...]
# BENCH_ARTIFACTS (default artifacts/bench) is where the Release build goes.
# The other benches have their own runners: bench/*/run.sh (WebRTC data channels: sudo bench/webrtc/run.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ ! -d tests/oracle/node_modules ]]; then
  (cd tests/oracle && npm ci --no-audit --no-fund)
fi
artifacts="${BENCH_ARTIFACTS:-artifacts/bench}"
dotnet build bench/P2PSync.Bench -c Release -nologo -clp:ErrorsOnly --artifacts-path "$artifacts"
exec dotnet "$artifacts/bin/P2PSync.Bench/release/P2PSync.Bench.dll" "$@"
