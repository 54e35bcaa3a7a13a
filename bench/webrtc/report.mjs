// Turns bench.mjs's raw JSON into the markdown report: absolute numbers per implementation
// (median of the rounds with the range), ours' ratio to each anchor, and whether the goals hold.
//   node report.mjs RESULTS.json DATE MACHINE QUICK(0|1)
import { readFileSync } from "node:fs";

const [file, date, machine, quick] = process.argv.slice(2);
const r = JSON.parse(readFileSync(file, "utf8"));
const impls = r.implementations;
const names = { ours: "ours (C#)", werift: "werift", chromium: "Chromium" };

function median(values) {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function cell(values, digits) {
  if (values.length === 0) return "failed";
  const m = median(values).toFixed(digits);
  if (values.length === 1) return m;
  return `${m} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
}
const series = {
  bulk: (n) => (impls[n]?.bulk ?? []).map((x) => x.mibPerS),
  p50: (n) => (impls[n]?.latency ?? []).map((x) => x.p50),
  p99: (n) => (impls[n]?.latency ?? []).map((x) => x.p99),
  cpuPerMib: (n) => (impls[n]?.bulk ?? []).map((x) => x.cpuMsPerMib),
  cpuPerRoundTrip: (n) => (impls[n]?.latency ?? []).map((x) => x.cpuUsPerRoundTrip),
};
function ratio(metric, anchor) {
  const ours = median(series[metric]("ours"));
  const other = median(series[metric](anchor));
  return ours === null || other === null ? null : ours / other;
}
const fmtRatio = (x) => (x === null ? "–" : `${x.toFixed(2)}x`);
const present = ["ours", "werift", "chromium"].filter((n) => n in impls);

const lines = [];
lines.push("# WebRTC data channel bench (issue 8)");
lines.push("");
lines.push(`${date}${quick === "1" ? " (--quick: one short round, not a result)" : ""}. ${machine}.`);
lines.push("");
lines.push(
  `Two network namespaces joined by a veth pair; side A of each pair in one, side B in the other; one data channel ` +
    `(reliable, ordered). Bulk: B sends ${r.bulkBytes / 1048576} MiB in ${r.chunk / 1024} KiB messages with bufferedAmount ` +
    `backpressure, A times from its request to the last byte. Latency: ${r.pings} round trips of ${r.pingSize}-byte binary ` +
    `messages, one at a time, after 50 unmeasured. ${r.rounds} round(s) after a warm-up, implementations interleaved ` +
    `(order rotated each round); median of the rounds, range in brackets. Seed ${r.seed}.`,
);
lines.push("");
lines.push(`| | ${present.map((n) => names[n]).join(" | ")} | ours/werift | ours/Chromium |`);
lines.push(`|---|${present.map(() => "---:").join("|")}|---:|---:|`);
const row = (label, metric, digits) =>
  `| ${label} | ${present.map((n) => cell(series[metric](n), digits)).join(" | ")} | ${fmtRatio(ratio(metric, "werift"))} | ${fmtRatio(ratio(metric, "chromium"))} |`;
lines.push(row("bulk throughput, MiB/s (higher is better)", "bulk", 1));
lines.push(row("latency p50, ms (lower is better)", "p50", 3));
lines.push(row("latency p99, ms (lower is better)", "p99", 3));
lines.push(row("bulk CPU of both peers, ms per MiB (lower is better)", "cpuPerMib", 0));
lines.push(row("latency CPU of both peers, us per round trip (lower is better)", "cpuPerRoundTrip", 0));
lines.push(
  `| UDP datagrams dropped by the kernel (receive buffer full) per bulk run | ${present.map((n) => cell((impls[n]?.bulk ?? []).map((x) => x.udpReceiveDrops ?? 0), 0)).join(" | ")} | | |`,
);
const retransmissions = (n) => (impls[n]?.bulk ?? []).map((x) => x.sctpRetransmissions).filter((x) => typeof x === "number");
const iceQueueDrops = (n) => (impls[n]?.bulk ?? []).map((x) => x.iceQueueDrops).filter((x) => typeof x === "number");
lines.push(
  `| datagrams dropped by our ICE receive queues per bulk run | ${present.map((n) => (iceQueueDrops(n).length ? cell(iceQueueDrops(n), 0) : "–")).join(" | ")} | | |`,
);
lines.push(
  `| SCTP chunks the sender retransmitted per bulk run (where the driver reports it) | ${present.map((n) => (retransmissions(n).length ? cell(retransmissions(n), 0) : "–")).join(" | ")} | | |`,
);
lines.push(
  `| CPU of both peers while connected and idle, % of a core | ${present.map((n) => (impls[n].idleCpuPercent === undefined ? "–" : impls[n].idleCpuPercent.toFixed(1))).join(" | ")} | | |`,
);
lines.push(
  `| channel open after the offer, ms | ${present.map((n) => (impls[n].setupMs ? impls[n].setupMs.toFixed(0) : "–")).join(" | ")} | | |`,
);
lines.push("");

const vsWerift = ratio("bulk", "werift");
const vsChromium = ratio("bulk", "chromium");
const verdict = (x, goal) => (x === null ? "not measured" : x >= goal ? `**met** (${x.toFixed(2)}x)` : `**not met** (${x.toFixed(2)}x)`);
lines.push("Goals (throughput):");
lines.push("");
lines.push(`- at least 2x werift's: ${verdict(vsWerift, 2)}`);
lines.push(`- within 2x of Chromium's (ours/Chromium >= 0.5): ${verdict(vsChromium, 0.5)}`);
lines.push("");

lines.push("Notes:");
lines.push("");
for (const n of present) {
  const i = impls[n];
  const parts = [];
  if (i.version) parts.push(`version ${i.version}`);
  if (i.ready && "crossOriginIsolated" in i.ready) {
    parts.push(i.ready.crossOriginIsolated ? "page cross-origin isolated (5 us timer)" : "page NOT cross-origin isolated (coarse 100 us timer)");
  }
  const retries = i.failures.filter((f) => f.startsWith("attempt"));
  if (!i.setupMs) parts.push(`**did not connect** in ${i.attempts} attempt(s)`);
  else if (i.attempts > 1) parts.push(`connected on attempt ${i.attempts} (retried: ${retries.join("; ")})`);
  else parts.push("connected on the first attempt");
  const version = { FEFC: "DTLS 1.3 (FEFC)", FEFD: "DTLS 1.2 (FEFD)" }[i.stats?.tlsVersion] ?? i.stats?.tlsVersion;
  if (version) parts.push(`${version} with ${i.stats.dtlsCipher}`);
  else if (i.stats?.dtlsCipher) parts.push(`DTLS 1.2 with cipher suite ${i.stats.dtlsCipher}`);
  const end = i.finalStats?.a;
  if (end && "sctpChunksRetransmitted" in end) {
    const b = i.finalStats.b ?? {};
    parts.push(
      `at the end, warm-up included: SCTP chunks retransmitted ${end.sctpChunksRetransmitted} (A) / ${b.sctpChunksRetransmitted ?? "?"} (B), ` +
        `packets dropped ${end.sctpPacketsDropped} / ${b.sctpPacketsDropped ?? "?"}, congestion window ${end.sctpCongestionWindow} / ${b.sctpCongestionWindow ?? "?"} bytes`,
    );
  }
  const other = i.failures.filter((f) => !f.startsWith("attempt") || !i.setupMs);
  if (other.length) parts.push(`failures: ${other.join("; ")}`);
  lines.push(`- ${names[n]}: ${parts.join("; ") || "no data"}.`);
}
lines.push(
  "- Two Chromiums negotiate DTLS 1.3 between themselves; ours (and werift) speak DTLS 1.2 with " +
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, as Chromium does against either of them. The Chromium anchor so runs a different DTLS version.",
);
lines.push(
  "- Chromium's renderer does not own its UDP sockets: every datagram crosses to the network service by IPC, so more threads and " +
    "processes per packet must get a core. On a busy machine that costs it most; its CPU per MiB shows what it would need on an idle one.",
);
lines.push(
  "- Channel open times are from the offer to both sides' open event in fresh processes: ours includes the first use, and JIT " +
    "compilation, of our whole stack (certificate, ICE, DTLS, SCTP), werift's its start-up ICE gathering.",
);
lines.push(
  "- werift's own ICE fails about one run in three against itself in these namespaces; its connection is retried up to 3 times (counted above).",
);
lines.push(
  "- CPU is user + system time of both peers' whole process trees (Chromium: its browser, renderer and network-service processes) " +
    "across the workload, from /proc. It does not depend on how long a peer waited for a core, so it is the steadier comparison on a busy machine.",
);
lines.push(`- The whole run took ${r.elapsedS.toFixed(0)} s. Our driver's Random seed was ${r.seed} (\`--seed ${r.seed}\` repeats it).`);
console.log(lines.join("\n"));
