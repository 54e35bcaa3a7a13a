#!/usr/bin/env python3
"""Runs INSIDE a node's network namespace (ip netns exec NS python3 poll.py ...), where the node's
local API on 127.0.0.1 is reachable. Polls GET /api/status and /api/nearby every few ms and prints,
once each, the CLOCK_MONOTONIC time (shared by every process on the machine) at which:
  nearby     the peer is in the node's nearby list (mDNS found it)
  connected  the node reports the peer as a connected trusted peer
  gone       the peer has left the nearby list again (after having been in it)
It finds the API through DATA/api.json, so it can be started before the node is.
Exits after 'gone', when stdin closes, or at --deadline seconds.

  poll.py --data DIR --peer DEVICEID [--deadline 120] [--interval 0.01]
"""
import argparse, json, os, select, sys, time, urllib.error, urllib.request


def api_url(data):
    try:
        with open(os.path.join(data, "api.json"), encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return None
    url = doc.get("url") or doc.get("Url")
    return url if isinstance(url, str) else None


def get(url, path):
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/" + path, timeout=1) as r:
            return json.load(r)
    except (OSError, ValueError, urllib.error.URLError):
        return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--peer", required=True)
    p.add_argument("--deadline", type=float, default=120)
    p.add_argument("--interval", type=float, default=0.01)
    a = p.parse_args()
    print("ready", time.monotonic(), flush=True)
    end = time.monotonic() + a.deadline
    seen = set()
    url = None
    while time.monotonic() < end:
        # The driver closes our stdin to stop us early.
        if select.select([sys.stdin], [], [], 0)[0] and sys.stdin.read(1) == "":
            return
        url = url or api_url(a.data)
        if url:
            nearby = get(url, "api/nearby")
            status = get(url, "api/status") if "connected" not in seen else None
            now = time.monotonic()
            if isinstance(nearby, list):
                here = any(isinstance(n, dict) and n.get("deviceId") == a.peer for n in nearby)
                if here and "nearby" not in seen:
                    seen.add("nearby"); print("nearby", now, flush=True)
                if not here and "nearby" in seen and "gone" not in seen:
                    seen.add("gone"); print("gone", now, flush=True)
                    return
            if isinstance(status, dict):
                if any(isinstance(q, dict) and q.get("deviceId") == a.peer and q.get("connected") for q in status.get("peers", [])):
                    seen.add("connected"); print("connected", now, flush=True)
        time.sleep(a.interval)
    print("deadline", time.monotonic(), flush=True)


if __name__ == "__main__":
    main()
