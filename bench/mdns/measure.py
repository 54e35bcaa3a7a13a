#!/usr/bin/env python3
"""The mDNS bench driver, run by bench/mdns/run.sh once it has made two namespaces joined by a veth
pair, with a private avahi-daemon in each (holder processes HOLDER_A, HOLDER_B). Prints one JSON
document with the raw times of every round.

anchor rounds (avahi only): a continuous `avahi-browse -rpk _p2psync._tcp` in B; `avahi-publish -s`
in A; times from the publish start until B's browser lists (+) and resolves (=) it, and from
SIGTERM of the publisher until the browser reports it removed (-).

ours rounds: two fresh data dirs trusting each other WITHOUT addresses; node A is up; node B is
started; pollers inside each namespace (poll.py) report when each node lists the other nearby and
when both report the other connected; then B gets SIGTERM and A's poller reports when B left A's
nearby list. All times are CLOCK_MONOTONIC seconds, shared by every process on the machine.

  measure.py --dll P2PSYNC.DLL --ns-a A --ns-b B --holder-a PID --holder-b PID --work DIR [--rounds 5] [--only anchor|ours]
Every wait is bounded; every process started here is killed before it returns.
"""
import argparse, json, os, signal, subprocess, sys, threading, time

SERVICE = "_p2psync._tcp"


class Watched:
    """A child process whose stdout lines are stamped with time.monotonic() as they arrive."""

    def __init__(self, args, stdin=subprocess.DEVNULL):
        self.args = args
        self.proc = subprocess.Popen(args, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines = []
        self.eof = False
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append((time.monotonic(), line.rstrip("\n")))
                self.cond.notify_all()
        with self.cond:
            self.eof = True
            self.cond.notify_all()

    def wait_for(self, predicate, timeout, what):
        end = time.monotonic() + timeout
        with self.cond:
            while True:
                for t, line in self.lines:
                    if predicate(line):
                        return t, line
                left = end - time.monotonic()
                if left <= 0 or self.eof:
                    log = "\n".join(l for _, l in self.lines[-40:])
                    raise TimeoutError(f"waiting {timeout}s for {what}: {'the process ended' if self.eof else 'not seen'}\n--- {' '.join(self.args)} ---\n{log}")
                self.cond.wait(min(left, 0.05))

    def signal(self, sig):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)

    def stop(self, grace=10):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdin:
            try:
                self.proc.stdin.close()
            except OSError:
                pass

    def text(self):
        with self.cond:
            return "\n".join(l for _, l in self.lines)


def in_avahi(holder, *args):
    return ["nsenter", "-t", str(holder), "-m", "-n", *args]


def browse_event(kind, name):
    # avahi-browse -p escapes a name's space as \032; our names have none.
    return lambda line: line.startswith(kind + ";") and line.split(";")[3:4] == [name]


def anchor_round(o, i, started):
    name = f"anchor-{i}-{os.getpid()}"
    browser = Watched(in_avahi(o.holder_b, "avahi-browse", "-r", "-p", "-k", SERVICE))
    started.append(browser)
    time.sleep(1.5)  # the browser's own start-up queries are over before the clock starts
    t0 = time.monotonic()
    pub = Watched(in_avahi(o.holder_a, "avahi-publish", "-s", name, SERVICE, "9", "id=ANCHOR", "proto=1"))
    started.append(pub)
    t_est, _ = pub.wait_for(lambda l: l.startswith("Established under name"), 20, "avahi-publish to establish")
    t_seen, _ = browser.wait_for(browse_event("+", name), 20, f"{name} listed")
    t_res, _ = browser.wait_for(browse_event("=", name), 20, f"{name} resolved")
    time.sleep(0.5)
    t_stop = time.monotonic()
    pub.signal(signal.SIGTERM)
    t_gone, _ = browser.wait_for(browse_event("-", name), 20, f"{name} removed")
    pub.stop()
    browser.stop()
    return {
        "established": t_est - t0,
        "listed": t_seen - t0,
        "resolved": t_res - t0,
        "removed": t_gone - t_stop,
    }


def cli(o, *args):
    r = subprocess.run(["dotnet", o.dll, *args], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f"p2psync {' '.join(args)} failed: {r.stdout}{r.stderr}")
    return r.stdout.strip()


def up(o, ns, data, name):
    return Watched(["ip", "netns", "exec", ns, "dotnet", o.dll, "up", "--data", data, "--port", "0", "--api-port", "0", "--name", name])


def poller(ns, data, peer):
    w = Watched(["ip", "netns", "exec", ns, sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "poll.py"),
                 "--data", data, "--peer", peer, "--deadline", "180"], stdin=subprocess.PIPE)
    w.wait_for(lambda l: l.startswith("ready "), 30, "the poller to start")
    return w


def stamp(w, event, timeout, what):
    t, _ = w.wait_for(lambda l: l.startswith(event + " "), timeout, what)
    return t


def ours_round(o, i, started):
    data = {n: os.path.join(o.work, f"round{i}-{n}") for n in "ab"}
    for n in "ab":
        cli(o, "init", "--data", data[n])
    ids = {n: cli(o, "id", "--data", data[n]).split()[0] for n in "ab"}
    # Trust WITHOUT --addr: the nodes can only find each other through mDNS.
    cli(o, "peer", "add", ids["b"], "--data", data["a"])
    cli(o, "peer", "add", ids["a"], "--data", data["b"])

    node_a = up(o, o.ns_a, data["a"], f"bench-a{i}")
    started.append(node_a)
    node_a.wait_for(lambda l: l.startswith("api "), 60, "node a's banner")
    poll_a = poller(o.ns_a, data["a"], ids["b"])
    poll_b = poller(o.ns_b, data["b"], ids["a"])
    started += [poll_a, poll_b]
    time.sleep(1.0)  # node a's own probing and announcing are over: only b is new

    t0 = time.monotonic()
    node_b = up(o, o.ns_b, data["b"], f"bench-b{i}")
    started.append(node_b)
    t_up, _ = node_b.wait_for(lambda l: l.startswith("api "), 60, "node b's banner")
    a_sees = stamp(poll_a, "nearby", 30, "a to list b nearby")
    b_sees = stamp(poll_b, "nearby", 30, "b to list a nearby")
    a_conn = stamp(poll_a, "connected", 30, "a connected to b")
    b_conn = stamp(poll_b, "connected", 30, "b connected to a")
    time.sleep(0.5)

    t_stop = time.monotonic()
    node_b.signal(signal.SIGTERM)
    t_gone = stamp(poll_a, "gone", 30, "a to drop b after its goodbye")
    node_b.proc.wait(30)
    t_exit = time.monotonic()
    for w in (poll_a, poll_b):
        w.stop()
    node_a.signal(signal.SIGTERM)
    node_a.proc.wait(30)
    return {
        "b_up": t_up - t0,
        "a_lists_b": a_sees - t0,
        "b_lists_a": b_sees - t0,
        "both_connected": max(a_conn, b_conn) - t0,
        "both_connected_after_up": max(a_conn, b_conn) - t_up,
        "discovery_after_up": max(a_sees, b_sees) - t_up,
        "dropped_after_sigterm": t_gone - t_stop,
        "b_exited_after_sigterm": t_exit - t_stop,
    }


def main():
    p = argparse.ArgumentParser()
    for name in ("--dll", "--ns-a", "--ns-b", "--work"):
        p.add_argument(name, required=True)
    p.add_argument("--holder-a", type=int, required=True)
    p.add_argument("--holder-b", type=int, required=True)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--only", choices=("anchor", "ours"), help="measure one side only (for a quick look)")
    o = p.parse_args()
    result = {"rounds": o.rounds, "anchor": [], "ours": [], "errors": []}
    for kind, fn in (("anchor", anchor_round), ("ours", ours_round)):
        if o.only and o.only != kind:
            continue
        for i in range(o.rounds):
            started = []
            try:
                result[kind].append(fn(o, i, started))
                print(f"{kind} round {i}: {result[kind][-1]}", file=sys.stderr, flush=True)
            except (TimeoutError, RuntimeError, subprocess.SubprocessError) as e:
                result["errors"].append(f"{kind} round {i}: {e}")
                print(f"{kind} round {i} FAILED: {e}", file=sys.stderr, flush=True)
                for w in started:
                    if "dotnet" in w.args:
                        print(f"--- {' '.join(w.args[:8])} ---\n{w.text()[-4000:]}", file=sys.stderr)
            finally:
                for w in reversed(started):
                    w.stop()
    json.dump(result, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
