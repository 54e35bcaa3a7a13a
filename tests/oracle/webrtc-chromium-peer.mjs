// A headless Chromium WebRTC peer driven over stdin/stdout JSON lines by the C# RemotePeer
// (tests/P2PSync.Interop.Tests/WebRtc). It speaks the same protocol as webrtc-werift-peer.mjs
// because the page runs the same webrtc-peer-core.mjs over the browser's RTCPeerConnection.
// The page is served from 127.0.0.1 of the namespace this runs in (a real origin, not file://).
// Exits when stdin closes, always closing the browser. Protocol: docs/dev/webrtc-harness.md.
//
// Env: P2PSYNC_CHROMIUM (default /usr/bin/chromium);
//      P2PSYNC_CHROMIUM_MDNS=on keeps Chromium's default of hiding host IPs behind <uuid>.local names.
import http from "node:http";
import readline from "node:readline";
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const executablePath = process.env.P2PSYNC_CHROMIUM || "/usr/bin/chromium";
const hideIpsWithMdns = process.env.P2PSYNC_CHROMIUM_MDNS === "on";

function emit(event) {
  process.stdout.write(JSON.stringify(event) + "\n");
}

const core = readFileSync(new URL("./webrtc-peer-core.mjs", import.meta.url), "utf8");
// The page glue: browser base64 and configuration, and the two hooks the driver calls.
const page = `<!doctype html><meta charset="utf-8"><title>webrtc peer</title>
<script type="module">
import { createPeerController } from "/webrtc-peer-core.mjs";
function toBase64(buffer) {
  const bytes = new Uint8Array(buffer);
  let text = "";
  // In slices: String.fromCharCode with one argument per byte overflows the stack on 256 KiB.
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
function fromBase64(text) {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}
const controller = createPeerController({
  RTCPeerConnection,
  emit: (event) => window.harnessEmit(event),
  toBase64,
  fromBase64,
  configure: () => ({ iceServers: [] }),
  prepareChannel: (dc) => { dc.binaryType = "arraybuffer"; },
});
window.harnessHandle = (cmd) => controller.handle(cmd);
window.harnessReady = true;
</script>`;

const server = http.createServer((req, res) => {
  if (req.url === "/") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(page);
  } else if (req.url === "/webrtc-peer-core.mjs") {
    res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
    res.end(core);
  } else {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));

const args = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
if (!hideIpsWithMdns) args.push("--disable-features=WebRtcHideLocalIpsWithMdns");

let browser;
async function shutdown(code) {
  try {
    if (browser) await browser.close();
  } finally {
    server.close();
    process.exit(code);
  }
}

try {
  browser = await chromium.launch({ executablePath, headless: true, args });
  const tab = await browser.newPage();
  await tab.exposeFunction("harnessEmit", (event) => emit(event));
  tab.on("pageerror", (e) => emit({ event: "error", message: `page: ${e.message}` }));
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  await tab.waitForFunction(() => window.harnessReady === true, null, { timeout: 10000 });

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
      try {
        emit(await tab.evaluate((c) => window.harnessHandle(c), cmd));
      } catch (e) {
        emit({ reply: cmd.id ?? null, ok: false, error: `page: ${e.message}` });
      }
    });
  });
  input.on("close", () => queue.finally(() => shutdown(0)));
  process.on("SIGTERM", () => shutdown(0));
  emit({ event: "ready", driver: "chromium", version: browser.version(), mdns: hideIpsWithMdns });
} catch (e) {
  emit({ event: "error", message: `could not start Chromium: ${e.message}` });
  await shutdown(1);
}
