// WebRTC data-channel bench orchestrator (issue 8): ours <-> ours, werift <-> werift and
// Chromium <-> Chromium, each pair split over the two network namespaces run.sh made (side A in
// one, side B in the other), in one run. Signalling goes through this process: it relays each
// side's description and trickled candidates over the drivers' stdin/stdout (README.md).
// Workloads, interleaved round by round with the order of the implementations rotated:
//   bulk:    B streams BULK bytes in CHUNK-byte messages over the one reliable ordered channel,
//            with bufferedAmount backpressure; A times from its request to the last byte.
//   latency: A sends PINGS 32-byte binary messages one at a time, B echoes; A times each round trip.
// Around each workload it also reads the CPU time of both peers' process trees, the namespaces'
// kernel UDP drops and (ours) the loss counters from the driver's stats; at the end, idle CPU.
// Writes the raw results as JSON (report.mjs turns them into the markdown report).
//
//   node bench.mjs --ns-a NS --ns-b NS --work DIR --out FILE.json [--ours DLL] [--only a,b]
//                  [--rounds N] [--bulk-mib N] [--chunk-kib N] [--pings N] [--seed N]
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { PeerProcess } from "./peer-process.mjs";
import { cpuMsOfTrees } from "./process-cpu.mjs";
import { udpReceiveBufferErrors } from "./udp-drops.mjs";

const { values: opt } = parseArgs({
  options: {
    "ns-a": { type: "string" },
    "ns-b": { type: "string" },
    work: { type: "string" },
    out: { type: "string" },
    ours: { type: "string", default: "" },
    only: { type: "string", default: "ours,werift,chromium" },
    rounds: { type: "string", default: "7" },
    "bulk-mib": { type: "string", default: "64" },
    "chunk-kib": { type: "string", default: "64" },
    pings: { type: "string", default: "2000" },
    seed: { type: "string", default: "" },
  },
});
for (const required of ["ns-a", "ns-b", "work", "out"]) {
  if (!opt[required]) throw new Error(`bench.mjs needs --${required}`);
}
const rounds = Number(opt.rounds);
const bulkBytes = Number(opt["bulk-mib"]) * 1048576;
const chunk = Number(opt["chunk-kib"]) * 1024;
const pings = Number(opt.pings);
const pingSize = 32;
const IDLE_MS = 3000;
// Our driver seeds its Random from here; printed so a run can be repeated.
const seed = opt.seed ? Number(opt.seed) : Math.floor(Math.random() * 2 ** 31);
const here = new URL(".", import.meta.url).pathname;

// How each implementation's driver starts, and how often its connection may be retried: werift's
// own ICE fails about one run in three against itself (docs/dev/webrtc-harness.md). Ours and
// Chromium get one retry, so a rare failed start does not void a run; the report names every retry.
const implementations = {
  ours: { argv: (side) => ["dotnet", opt.ours, "--side", side, "--seed", String(seed + (side === "a" ? 0 : 1))], attempts: 2, readyMs: 60000 },
  werift: { argv: () => ["node", `${here}werift-peer.mjs`], attempts: 3, readyMs: 30000 },
  chromium: { argv: () => ["node", `${here}chromium-peer.mjs`], attempts: 2, readyMs: 60000 },
};
const selected = opt.only.split(",").filter((name) => name in implementations && (name !== "ours" || opt.ours));

function log(line) {
  process.stderr.write(`[webrtc-bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

async function connectOnce(name, attempt) {
  const impl = implementations[name];
  const a = new PeerProcess(`${name}-a`, opt["ns-a"], impl.argv("a"), `${opt.work}/${name}-a-${attempt}.log`);
  const b = new PeerProcess(`${name}-b`, opt["ns-b"], impl.argv("b"), `${opt.work}/${name}-b-${attempt}.log`);
  try {
    const [readyA] = await Promise.all([
      a.waitFor((e) => e.event === "ready", impl.readyMs, "ready"),
      b.waitFor((e) => e.event === "ready", impl.readyMs, "ready"),
    ]);
    // A candidate goes to the other side only after that side has the remote description: each
    // driver runs its commands in order, so writing it after the description command is enough.
    const relay = (from, to) => {
      const held = [];
      let open = false;
      const forward = (e) =>
        to.command({ cmd: "candidate", candidate: e.candidate, sdpMid: e.sdpMid ?? null, sdpMLineIndex: e.sdpMLineIndex ?? null }, 20000)
          .catch((err) => log(`${name}: candidate to ${to.name} refused: ${err.message}`));
      from.onEvent((e) => {
        if (e.event !== "candidate") return;
        if (open) forward(e);
        else held.push(e);
      });
      return () => {
        open = true;
        held.splice(0).forEach(forward);
      };
    };
    const releaseToB = relay(a, b);
    const releaseToA = relay(b, a);
    const start = performance.now();
    const offer = await a.command({ cmd: "offer" }, 20000);
    const answer = await b.command({ cmd: "answer", sdp: offer.sdp }, 20000);
    releaseToB();
    await a.command({ cmd: "remoteAnswer", sdp: answer.sdp }, 20000);
    releaseToA();
    await Promise.all([
      a.waitFor((e) => e.event === "open", 20000, "open channel"),
      b.waitFor((e) => e.event === "open", 20000, "open channel"),
    ]);
    const setupMs = performance.now() - start;
    const stats = await a.command({ cmd: "stats" }, 10000).catch(() => null);
    return { a, b, version: readyA.version ?? null, setupMs, stats, ready: readyA };
  } catch (e) {
    await Promise.all([a.stop(2000), b.stop(2000)]);
    throw e;
  }
}

async function connect(name, result) {
  const impl = implementations[name];
  for (let attempt = 1; attempt <= impl.attempts; attempt++) {
    result.attempts = attempt;
    try {
      const pair = await connectOnce(name, attempt);
      log(`${name}: channel open after ${pair.setupMs.toFixed(0)} ms (attempt ${attempt})`);
      return pair;
    } catch (e) {
      result.failures.push(`attempt ${attempt}: ${e.message}`);
      log(`${name}: connection attempt ${attempt} failed: ${e.message}`);
      // The drivers' own account (ours logs the exception and its connection's stats).
      for (const side of ["a", "b"]) {
        const path = `${opt.work}/${name}-${side}-${attempt}.log`;
        const tail = existsSync(path) ? readFileSync(path, "utf8").trimEnd().split("\n").slice(-15) : [];
        for (const line of tail) log(`  ${name}-${side} log: ${line}`);
      }
    }
  }
  return null;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

// CPU of both sides' process trees (drivers and all they started) across one workload.
const cpuOf = (pair) => cpuMsOfTrees([pair.a.pid, pair.b.pid]);
// One pair runs at a time, so the namespaces' UDP drop counters across a workload are that pair's.
const udpDrops = () => udpReceiveBufferErrors(opt["ns-a"]) + udpReceiveBufferErrors(opt["ns-b"]);

// Loss counters where the driver reports them (ours), else null: the sender's SCTP retransmissions
// and the datagrams both sides' ICE transports dropped from their own receive queues.
async function lossCounters(pair) {
  const [a, b] = await Promise.all([pair.a, pair.b].map((p) => p.command({ cmd: "stats" }, 10000).catch(() => null)));
  if (typeof b?.sctpChunksRetransmitted !== "number") return null;
  return { retransmitted: b.sctpChunksRetransmitted, iceDropped: (a?.iceDroppedReceives ?? 0) + (b.iceDroppedReceives ?? 0) };
}

async function bulk(name, pair, bytes) {
  const countersBefore = await lossCounters(pair);
  const cpuBefore = cpuOf(pair);
  const dropsBefore = udpDrops();
  const r = await pair.a.command({ cmd: "bulk", bytes, chunk }, 300000);
  const cpuMs = cpuOf(pair) - cpuBefore;
  const udpReceiveDrops = udpDrops() - dropsBefore;
  const countersAfter = await lossCounters(pair);
  const ours = countersBefore !== null && countersAfter !== null;
  const sctpRetransmissions = ours ? countersAfter.retransmitted - countersBefore.retransmitted : null;
  const iceQueueDrops = ours ? countersAfter.iceDropped - countersBefore.iceDropped : null;
  if (r.bytes !== bytes || !r.inOrder) throw new Error(`${name}: bulk delivered ${r.bytes} of ${bytes} bytes, in order: ${r.inOrder}`);
  const mib = bytes / 1048576;
  return { ms: r.ms, mibPerS: mib / (r.ms / 1000), messages: r.messages, cpuMs, cpuMsPerMib: cpuMs / mib, udpReceiveDrops, sctpRetransmissions, iceQueueDrops };
}

async function latency(name, pair, count, warmup) {
  const cpuBefore = cpuOf(pair);
  const r = await pair.a.command({ cmd: "ping", count, size: pingSize, warmup }, 300000);
  const cpuMs = cpuOf(pair) - cpuBefore;
  const sorted = [...r.rtts].sort((x, y) => x - y);
  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1],
    count: sorted.length,
    // Per measured round trip; the warm-up pings are few and counted in too.
    cpuUsPerRoundTrip: (cpuMs * 1000) / (count + warmup),
  };
}

const results = {
  seed,
  rounds,
  bulkBytes,
  chunk,
  pings,
  pingSize,
  implementations: Object.fromEntries(selected.map((n) => [n, { attempts: 0, failures: [], bulk: [], latency: [] }])),
};
const pairs = {};
const started = performance.now();
try {
  for (const name of selected) {
    const pair = await connect(name, results.implementations[name]);
    if (!pair) continue;
    pairs[name] = pair;
    Object.assign(results.implementations[name], { version: pair.version, setupMs: pair.setupMs, stats: pair.stats, ready: pair.ready });
    // Warm-up (not counted): JIT compilers (.NET's tiered compilation was still busy in round 1
    // after 8 MiB), buffers and congestion windows, so round 1 is not an outlier.
    try {
      await bulk(name, pair, Math.min(bulkBytes, 16 << 20));
      await latency(name, pair, 500, 0);
    } catch (e) {
      results.implementations[name].failures.push(`warm-up: ${e.message}`);
      log(`${name}: warm-up failed: ${e.message}`);
      delete pairs[name];
      await Promise.all([pair.a.stop(2000), pair.b.stop(2000)]);
    }
  }
  for (let round = 0; round < rounds; round++) {
    const live = Object.keys(pairs);
    // Rotated each round, so no implementation always runs first (or right after Chromium).
    const order = live.map((_, i) => live[(i + round) % live.length]);
    for (const kind of ["bulk", "latency"]) {
      for (const name of order) {
        if (!pairs[name]) continue;
        try {
          const r = kind === "bulk" ? await bulk(name, pairs[name], bulkBytes) : await latency(name, pairs[name], pings, 50);
          results.implementations[name][kind].push(r);
          log(
            `round ${round + 1} ${kind} ${name}: ` +
              (kind === "bulk"
                ? `${r.mibPerS.toFixed(1)} MiB/s, ${r.cpuMsPerMib.toFixed(0)} ms CPU per MiB, ${r.udpReceiveDrops} UDP receive-buffer drops${r.sctpRetransmissions === null ? "" : `, ${r.iceQueueDrops} dropped by our ICE receive queues, ${r.sctpRetransmissions} SCTP chunks retransmitted`}`
                : `p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, ${r.cpuUsPerRoundTrip.toFixed(0)} us CPU per round trip`),
          );
        } catch (e) {
          results.implementations[name].failures.push(`round ${round + 1} ${kind}: ${e.message}`);
          log(`${name}: round ${round + 1} ${kind} failed: ${e.message}`);
        }
      }
    }
  }
} finally {
  // Counters at the end (ours: SCTP retransmissions, drops, congestion window) for the report's notes.
  for (const [name, pair] of Object.entries(pairs)) {
    // An open, idle connection should cost next to nothing (consent checks every few seconds).
    // Measured last, when JIT compilers and garbage collectors have long settled.
    const idleBefore = cpuOf(pair);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    results.implementations[name].idleCpuPercent = ((cpuOf(pair) - idleBefore) / IDLE_MS) * 100;
    const [a, b] = await Promise.all([pair.a, pair.b].map((p) => p.command({ cmd: "stats" }, 10000).catch(() => null)));
    results.implementations[name].finalStats = { a, b };
  }
  await Promise.all(Object.values(pairs).flatMap((p) => [p.a.stop(), p.b.stop()]));
  results.elapsedS = (performance.now() - started) / 1000;
  writeFileSync(opt.out, JSON.stringify(results, null, 2));
  log(`done in ${results.elapsedS.toFixed(0)} s (seed ${seed}); raw results in ${opt.out}`);
}
