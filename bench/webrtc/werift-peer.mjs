// The werift anchor: one werift (npm, tests/oracle/node_modules) peer running the bench workload of
// peer-core.mjs, driven over stdin/stdout JSON lines by bench.mjs. Run it inside a namespace.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { createBenchPeer } from "./peer-core.mjs";
import { emit, serveLines } from "./line-driver.mjs";

// The packages live with the test oracle; one install serves tests and bench.
const oracle = new URL("../../tests/oracle/", import.meta.url);
const { RTCPeerConnection } = createRequire(new URL("package.json", oracle))("werift");
const version = JSON.parse(readFileSync(new URL("node_modules/werift/package.json", oracle), "utf8")).version;

const peer = createBenchPeer({
  RTCPeerConnection,
  configuration: {
    // werift falls back to stun.l.google.com without a STUN server: point it at the namespace's own
    // loopback, where nothing listens, and give up after 200 ms (as the interop harness does).
    iceServers: [{ urls: "stun:127.0.0.1:3478" }],
    iceStunGatherTimeout: 0.2,
    iceUseIpv6: false,
  },
  emit,
  now: () => performance.now(),
});

serveLines(peer.handle, async () => {
  await peer.handle({ cmd: "close" });
});
emit({ event: "ready", impl: "werift", version });
