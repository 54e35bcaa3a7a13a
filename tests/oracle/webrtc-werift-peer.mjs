// A werift (npm werift 0.25.2) WebRTC peer driven over stdin/stdout JSON lines by the C# RemotePeer
// (tests/P2PSync.Interop.Tests/WebRtc). One command per input line, handled one at a time in order;
// every reply and event is one output line. Exits when stdin closes. Protocol:
// docs/dev/webrtc-harness.md. Debug output (DEBUG=werift*) goes to stderr, never stdout.
import readline from "node:readline";
import { readFileSync } from "node:fs";
import { RTCPeerConnection } from "werift";
import { createPeerController } from "./webrtc-peer-core.mjs";

// werift's package exports hide package.json from require, so read it from disk.
const weriftVersion = JSON.parse(
  readFileSync(new URL("./node_modules/werift/package.json", import.meta.url), "utf8"),
).version;

function emit(event) {
  process.stdout.write(JSON.stringify(event) + "\n");
}

const controller = createPeerController({
  RTCPeerConnection,
  emit,
  toBase64: (data) => Buffer.from(data).toString("base64"),
  fromBase64: (text) => Buffer.from(text, "base64"),
  configure: (options) => ({
    // werift falls back to stun.l.google.com when no STUN server is given, and would try to
    // resolve and reach it (5 s of waiting in a namespace, and traffic we never allow). Point it at
    // the namespace's own loopback, where nothing listens, and give up on it after 200 ms.
    iceServers: [{ urls: "stun:127.0.0.1:3478" }],
    iceStunGatherTimeout: 0.2,
    // IPv4 only: the test namespaces carry IPv4 addresses, and an IPv6 link-local candidate
    // would only add checks that never matter.
    iceUseIpv6: false,
    // 0 means unlimited in werift; the default (65536) would refuse the 256 KiB/1 MiB messages.
    maxMessageSize: options.maxMessageSize ?? 0,
  }),
});

const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
let queue = Promise.resolve();
input.on("line", (line) => {
  if (line.trim() === "") return;
  queue = queue.then(async () => {
    let cmd;
    try {
      cmd = JSON.parse(line);
    } catch (e) {
      emit({ reply: null, ok: false, error: `not JSON: ${e.message}` });
      return;
    }
    emit(await controller.handle(cmd));
  });
});
input.on("close", () => {
  queue.then(() => controller.handle({ cmd: "closePeer" })).finally(() => process.exit(0));
});
process.on("unhandledRejection", (e) => emit({ event: "error", message: String(e?.stack ?? e) }));
emit({ event: "ready", driver: "werift", version: weriftVersion });
