# Shared by the bench runners that start `p2psync up` processes (source it; bash only).
# The caller sets `work` (a temp folder) and `pids=()` before registering the trap:
#   trap bench_cleanup EXIT; trap 'exit 130' INT TERM

# SIGTERM first (the nodes shut down gracefully and close their stores), SIGKILL after 10 s;
# then the temp folder goes unless KEEP_WORK=1.
bench_cleanup() {
  for pid in "${pids[@]}"; do [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true; done
  local deadline=$((SECONDS + 10))
  for pid in "${pids[@]}"; do
    [[ -n "$pid" ]] || continue
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "kept $work (node logs, JSON results)" >&2; else rm -rf "$work"; fi
}

# wait_for SECONDS DESCRIPTION COMMAND...: retries COMMAND every 0.1 s until it succeeds.
wait_for() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then echo "timed out after ${seconds}s waiting for $what" >&2; return 1; fi
    sleep 0.1
  done
}
