// The Chromium anchor: one headless /usr/bin/chromium (via playwright-core from tests/oracle) whose
// page runs the bench workload of peer-core.mjs over the browser's RTCPeerConnection, driven over
// stdin/stdout JSON lines by bench.mjs. Run it inside a namespace: Chromium gathers no candidates
// on loopback alone. The page is served from 127.0.0.1 of that namespace, cross-origin isolated so
// performance.now() has its fine resolution (5 us instead of 100 us) for the round-trip times.
import http from "node:http";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { emit, serveLines } from "./line-driver.mjs";

const oracle = new URL("../../tests/oracle/", import.meta.url);
const { chromium } = createRequire(new URL("package.json", oracle))("playwright-core");
const executablePath = process.env.P2PSYNC_CHROMIUM || "/usr/bin/chromium";

const core = readFileSync(new URL("./peer-core.mjs", import.meta.url), "utf8");
const page = `<!doctype html><meta charset="utf-8"><title>webrtc bench peer</title>
<script type="module">
import { createBenchPeer } from "/peer-core.mjs";
const peer = createBenchPeer({
  RTCPeerConnection,
  configuration: { iceServers: [] },
  emit: (event) => window.benchEmit(event),
  now: () => performance.now(),
  prepareChannel: (dc) => { dc.binaryType = "arraybuffer"; },
});
window.benchHandle = (cmd) => peer.handle(cmd);
window.benchIsolated = self.crossOriginIsolated;
window.benchReady = true;
</script>`;

const isolation = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };
const server = http.createServer((req, res) => {
  if (req.url === "/") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...isolation });
    res.end(page);
  } else if (req.url === "/peer-core.mjs") {
    res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", ...isolation });
    res.end(core);
  } else {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));

let browser;
let tab;
async function shutdown() {
  try {
    if (tab) await tab.evaluate(() => window.benchHandle({ cmd: "close" })).catch(() => {});
    if (browser) await browser.close();
  } finally {
    server.close();
  }
}

try {
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // IP host candidates, no .local names: both peers are on one veth with no mDNS between them.
      "--disable-features=WebRtcHideLocalIpsWithMdns",
    ],
  });
  tab = await browser.newPage();
  await tab.exposeFunction("benchEmit", (event) => emit(event));
  tab.on("pageerror", (e) => emit({ event: "error", message: `page: ${e.message}` }));
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  await tab.waitForFunction(() => window.benchReady === true, null, { timeout: 15000 });
  const isolated = await tab.evaluate(() => window.benchIsolated);
  serveLines(async (cmd) => {
    try {
      return await tab.evaluate((c) => window.benchHandle(c), cmd);
    } catch (e) {
      return { reply: cmd.id ?? null, ok: false, error: `page: ${e.message}` };
    }
  }, shutdown);
  emit({ event: "ready", impl: "chromium", version: browser.version(), crossOriginIsolated: isolated });
} catch (e) {
  emit({ event: "error", message: `could not start Chromium: ${e.message}` });
  await shutdown();
  process.exit(1);
}
