#!/usr/bin/env bash
# Builds the node as it was at an earlier commit (the baseline the node-sync bench compares
# against, so a feature's cost is measured on this machine, in the same run, on the same input)
# and prints the path of its p2psync.dll on stdout; progress goes to stderr.
#
#   bench/node-sync/build-baseline.sh [REV]        (REV default: $BASELINE_REV, else 4b9654f)
# Environment: BASELINE_ARTIFACTS (default artifacts/node-bench-baseline) holds one Release
#              build per full commit id, so a second run reuses it without building.
#
# The source comes from a detached `git worktree` in a temp folder, never from the working tree
# (which holds the code under test); the worktree is removed on exit, whatever happens. A build
# lands in "<commit>.partial.<pid>" and is renamed only once complete, so an interrupted build is
# never mistaken for a cached one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

rev="${1:-${BASELINE_REV:-4b9654f}}"
sha=$(git rev-parse --verify --quiet "${rev}^{commit}") || { echo "baseline: '$rev' is not a commit in this repository" >&2; exit 2; }
root=$(realpath -m "${BASELINE_ARTIFACTS:-artifacts/node-bench-baseline}")
artifacts="$root/$sha"
dll="$artifacts/bin/P2PSync.Node/release/p2psync.dll"
if [[ -f "$dll" ]]; then
  echo "baseline: cached build of $sha" >&2
  echo "$dll"
  exit 0
fi

tree=""
partial="$artifacts.partial.$$"
remove_tree() {
  if [[ -n "$tree" ]]; then
    git worktree remove --force "$tree" 2>/dev/null || true
    rm -rf "$(dirname "$tree")"
  fi
  rm -rf "$partial"
}
trap remove_tree EXIT
trap 'exit 130' INT TERM

tree="$(mktemp -d "${TMPDIR:-/tmp}/node-sync-baseline.XXXXXX")/src"
echo "baseline: building $sha (from $rev) in a temporary worktree" >&2
timeout 120 git worktree add --detach --quiet "$tree" "$sha"
mkdir -p "$root"
timeout 1200 dotnet build "$tree/src/P2PSync.Node" -c Release -nologo -clp:ErrorsOnly --artifacts-path "$partial" >&2
[[ -f "$partial/bin/P2PSync.Node/release/p2psync.dll" ]] || { echo "baseline: the build of $sha produced no p2psync.dll" >&2; exit 1; }
mv "$partial" "$artifacts"
echo "$dll"
