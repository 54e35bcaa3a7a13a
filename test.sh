#!/usr/bin/env bash
# Builds the whole solution once (Release), runs every test project against that build,
# and ends with one summary line "N passed, N failed, N skipped" summed from the TRX files.
# Exits non-zero if any test failed or any test project could not run.
# Env: P2PSYNC_DIFF_SEEDS (differential seed count, default 1000) is passed through as is.
#      P2PSYNC_ARTIFACTS (optional): build output folder (dotnet --artifacts-path), so a run does not
#      share bin/obj with other builds in the same tree.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$(pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export P2PSYNC_DIFF_SEEDS="${P2PSYNC_DIFF_SEEDS:-1000}"
if [[ "${CI:-}" == "true" ]]; then
  export NPM_CONFIG_PROGRESS=false
  export NPM_CONFIG_FUND=false
  export NPM_CONFIG_AUDIT=false
fi

# 0. Native libraries the node needs. libsodium23 is on the machine image; install it when a
#    fresh machine lacks it and we may (root), otherwise the crypto tests say what is missing.
if ! ldconfig -p 2>/dev/null | grep -q 'libsodium\.so\.23'; then
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
    echo "== apt-get install libsodium23"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsodium23
  else
    echo "!! libsodium.so.23 not found and not root: install the Debian package libsodium23"
  fi
fi

# 0b. The mDNS interop tests (tests/P2PSync.Interop.Tests/Mdns) build a two-host LAN out of network
#     namespaces and run avahi in it: they need iproute2, util-linux (unshare, nsenter), procps (kill),
#     dbus and avahi. Install what is missing when root; without root the tests skip themselves and
#     the summary below says so. The package scripts must not start avahi in the host's own network
#     (it would announce on the real LAN): a policy-rc.d that refuses every start is put in place for
#     the install when the machine has none.
mdns_missing=()
command -v ip >/dev/null || mdns_missing+=(iproute2)
command -v dbus-daemon >/dev/null || mdns_missing+=(dbus)
command -v avahi-daemon >/dev/null || mdns_missing+=(avahi-daemon)
{ command -v avahi-browse >/dev/null && command -v avahi-publish >/dev/null; } || mdns_missing+=(avahi-utils)
if (( ${#mdns_missing[@]} > 0 )); then
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
    echo "== apt-get install ${mdns_missing[*]} (mDNS interop tests)"
    own_policy=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
    fi
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${mdns_missing[@]}"; }; then
      echo "!! could not install ${mdns_missing[*]}; the mDNS interop tests will skip"
    fi
    if (( own_policy )); then rm -f /usr/sbin/policy-rc.d; fi
  else
    echo "!! not root: ${mdns_missing[*]} missing, the mDNS interop tests will skip"
  fi
fi

# 0c. The WebRTC interop tests (tests/P2PSync.Interop.Tests/WebRtc) run headless Chromium in network
#     namespaces: Debian's /usr/bin/chromium, driven by playwright-core from tests/oracle (never a
#     browser playwright downloads). Install it when missing and root; otherwise the Chromium tests
#     skip themselves and the summary below says so (the werift ones still run).
if [[ ! -x /usr/bin/chromium ]]; then
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
    echo "== apt-get install chromium (WebRTC interop tests)"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }; then
      echo "!! could not install chromium; the Chromium WebRTC interop tests will skip"
    fi
  else
    echo "!! not root: chromium missing, the Chromium WebRTC interop tests will skip"
  fi
fi

# 1. The yjs oracle used by the interop/differential tests.
# npm ls fails when a pinned package is missing or at another version, so a checkout whose
# node_modules predates a change to package-lock.json is refreshed too.
if [[ ! -d tests/oracle/node_modules ]] || ! (cd tests/oracle && npm ls --depth=0 >/dev/null 2>&1); then
  echo "== npm ci (tests/oracle)"
  (cd tests/oracle && npm ci --no-audit --no-fund)
fi

artifacts=()
if [[ -n "${P2PSYNC_ARTIFACTS:-}" ]]; then
  artifacts=(--artifacts-path "$P2PSYNC_ARTIFACTS")
fi

# 2. One Release build of everything; the test runs below reuse it.
echo "== dotnet build CloudSaves.P2P.sln -c Release"
if ! dotnet build CloudSaves.P2P.sln -c Release -nologo -clp:ErrorsOnly "${artifacts[@]}"; then
  # Keep the promise of a final summary line; the failed build counts as one failure.
  echo "!! build failed; no tests ran"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# 3. Every test project, one after the other (the machine has 2 cores), each into its own TRX.
RESULTS="$ROOT/TestResults/test.sh"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
broken=()
missing=0
for proj in tests/*/*.csproj; do
  name="$(basename "$proj" .csproj)"
  echo "== dotnet test $name"
  if ! dotnet test "$proj" --no-build -c Release -nologo "${artifacts[@]}" \
      --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" \
      --logger "console;verbosity=minimal"; then
    broken+=("$name")
  fi
  # A project that ran but wrote no TRX never got as far as running its tests.
  if [[ ! -f "$RESULTS/$name.trx" ]]; then
    echo "!! $name produced no TRX file"
    missing=$((missing + 1))
    [[ " ${broken[*]-} " == *" $name "* ]] || broken+=("$name")
  fi
done

# 4. Sum the Counters elements of all TRX files.
# A project that wrote no TRX counts as one failure, so the line never looks clean when it is not.
summary="$(python3 - "$RESULTS" "$missing" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = skipped = 0
failed = int(sys.argv[2])
for path in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        print(f"!! unreadable TRX {path}: {e}", file=sys.stderr)
        failed += 1
        continue
    counters = [el for el in root.iter() if el.tag.rsplit('}', 1)[-1] == "Counters"]
    if not counters:
        print(f"!! TRX without Counters: {path}", file=sys.stderr)
        failed += 1
        continue
    c = counters[0].attrib
    n = lambda k: int(c.get(k, "0"))
    passed += n("passed")
    failed += n("failed") + n("error") + n("timeout") + n("aborted")
    skipped += n("notExecuted") + n("inconclusive")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
)"

# 5. Say loudly when the mDNS or WebRTC interop tests did not run, and why (their skip reason from the TRX).
python3 - "$RESULTS" <<'PY' || true
import collections, glob, sys, xml.etree.ElementTree as ET
suites = {"P2PSync.Interop.Tests.Mdns.": "mDNS", "P2PSync.Interop.Tests.WebRtc.": "WebRTC"}
reasons = collections.Counter()
for path in glob.glob(sys.argv[1] + "/*.trx"):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        continue
    for result in root.iter():
        if result.tag.rsplit('}', 1)[-1] != "UnitTestResult" or result.get("outcome") != "NotExecuted":
            continue
        suite = next((name for prefix, name in suites.items() if result.get("testName", "").startswith(prefix)), None)
        if suite is None:
            continue
        message = next((m.text for m in result.iter() if m.tag.rsplit('}', 1)[-1] == "Message" and m.text), "no reason given")
        reasons[(suite, message.strip().removeprefix(f"{suite} interop skipped: "))] += 1
for (suite, reason), count in sorted(reasons.items()):
    print(f"!! {count} {suite} interop test(s) skipped: {reason}")
PY

if (( ${#broken[@]} > 0 )); then
  echo "!! test projects that failed or did not run: ${broken[*]}"
fi
echo "$summary"
failed_count="$(echo "$summary" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')"
if (( ${#broken[@]} > 0 )) || [[ "$failed_count" != "0" ]]; then
  exit 1
fi
