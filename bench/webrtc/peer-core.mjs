// The bench's workload over one RTCPeerConnection, shared by both JS anchors: werift-peer.mjs runs
// it in Node over werift, chromium-peer.mjs serves this same file to a page in headless Chromium
// and runs it over the browser's. Our C# driver (bench/P2PSync.WebRtcBench) speaks the same
// command protocol, so the orchestrator (bench.mjs) treats all three alike. Protocol: README.md.
//
// Runs in Node and in a browser, so it touches only what both have: no Buffer, no fs.
//
// Roles: side A offers, creates the one channel "bench" (reliable, ordered) and measures; side B
// answers and serves: it streams bulk data when A asks over the channel ("bulk BYTES CHUNK"), and
// echoes every binary message otherwise. So every number is taken on one clock (A's).

// bufferedAmount backpressure for the bulk sender: refill once the queue drains to LOW
// (the bufferedamountlow event), never queue more than HIGH. The same values for every anchor.
const LOW_WATER = 1 << 20;
const HIGH_WATER = 4 << 20;

/**
 * @param {object} env
 * @param {Function} env.RTCPeerConnection werift's or the browser's constructor
 * @param {object} env.configuration the RTCConfiguration to use
 * @param {(event: object) => void} env.emit sends one event line to the orchestrator
 * @param {() => number} env.now a monotonic clock in milliseconds
 * @param {(channel: object) => void} [env.prepareChannel] per-platform channel setup (binaryType)
 */
export function createBenchPeer(env) {
  let pc = null;
  let channel = null;
  // What A is waiting for on the channel: a bulk transfer or one pong; null between workloads.
  let bulk = null;
  let pong = null;

  function bytesOf(data) {
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }

  function sequenceOf(bytes) {
    return bytes.length < 4 ? -1 : new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
  }

  function numbered(size, sequence) {
    const bytes = new Uint8Array(size);
    new DataView(bytes.buffer).setUint32(0, sequence);
    return bytes;
  }

  function waitForLowWater(dc) {
    return new Promise((resolve) => dc.addEventListener("bufferedamountlow", resolve, { once: true }));
  }

  async function sendBulk(dc, total, chunk) {
    dc.bufferedAmountLowThreshold = LOW_WATER;
    let sent = 0;
    let sequence = 0;
    while (sent < total) {
      // Checked and awaited in one synchronous step, so the event cannot slip in between.
      if (dc.bufferedAmount > HIGH_WATER) {
        await waitForLowWater(dc);
        continue;
      }
      const size = Math.min(chunk, total - sent);
      // A fresh buffer per message: werift queues the caller's buffer without copying it.
      dc.send(numbered(size, sequence++));
      sent += size;
    }
  }

  function onMessage(dc, data) {
    if (typeof data === "string") {
      const [verb, total, chunk] = data.split(" ");
      if (verb === "bulk") {
        sendBulk(dc, Number(total), Number(chunk)).catch((e) => env.emit({ event: "error", message: `bulk send: ${e?.message ?? e}` }));
      }
      return;
    }
    const bytes = bytesOf(data);
    if (bulk) {
      if (sequenceOf(bytes) !== bulk.nextSequence) bulk.inOrder = false;
      bulk.nextSequence++;
      bulk.messages++;
      bulk.received += bytes.length;
      if (bulk.received >= bulk.expected) bulk.done(env.now());
    } else if (pong) {
      pong(bytes);
    } else {
      dc.send(data);
    }
  }

  function track(dc) {
    channel = dc;
    if (env.prepareChannel) env.prepareChannel(dc);
    let opened = false;
    const announceOpen = () => {
      if (opened) return;
      opened = true;
      env.emit({ event: "open", label: dc.label, id: dc.id ?? null });
    };
    dc.addEventListener("open", announceOpen);
    if (dc.readyState === "open") announceOpen();
    dc.addEventListener("message", (e) => onMessage(dc, e.data));
    dc.addEventListener("close", () => env.emit({ event: "closed" }));
  }

  function createPeer() {
    if (pc) throw new Error("one peer per driver");
    pc = new env.RTCPeerConnection(env.configuration);
    pc.onicecandidate = (e) => {
      const c = e.candidate;
      const init = c ? (typeof c.toJSON === "function" ? c.toJSON() : c) : null;
      env.emit({
        event: "candidate",
        candidate: init ? init.candidate : "",
        sdpMid: init?.sdpMid ?? null,
        sdpMLineIndex: init?.sdpMLineIndex ?? null,
      });
    };
    pc.onconnectionstatechange = () => env.emit({ event: "state", state: pc.connectionState });
    pc.ondatachannel = (e) => track(e.channel);
    return pc;
  }

  function open() {
    if (!channel || channel.readyState !== "open") throw new Error("the bench channel is not open");
    return channel;
  }

  const commands = {
    async offer() {
      const p = createPeer();
      track(p.createDataChannel("bench", { ordered: true }));
      await p.setLocalDescription(await p.createOffer());
      return { type: "offer", sdp: p.localDescription.sdp };
    },
    async answer(cmd) {
      const p = createPeer();
      await p.setRemoteDescription({ type: "offer", sdp: cmd.sdp });
      await p.setLocalDescription(await p.createAnswer());
      return { type: "answer", sdp: p.localDescription.sdp };
    },
    async remoteAnswer(cmd) {
      await pc.setRemoteDescription({ type: "answer", sdp: cmd.sdp });
      return {};
    },
    async candidate(cmd) {
      if (!cmd.candidate) {
        await pc.addIceCandidate(null);
      } else {
        const init = { candidate: cmd.candidate, sdpMLineIndex: cmd.sdpMLineIndex ?? 0 };
        if (cmd.sdpMid !== null && cmd.sdpMid !== undefined) init.sdpMid = cmd.sdpMid;
        await pc.addIceCandidate(init);
      }
      return {};
    },
    // A: asks B for BYTES in CHUNK-byte messages and times from the request to the last byte.
    async bulk(cmd) {
      const dc = open();
      const finished = new Promise((resolve) => {
        bulk = { expected: cmd.bytes, received: 0, messages: 0, nextSequence: 0, inOrder: true, done: resolve };
      });
      const start = env.now();
      dc.send(`bulk ${cmd.bytes} ${cmd.chunk}`);
      const end = await finished;
      const result = { bytes: bulk.received, messages: bulk.messages, ms: end - start, inOrder: bulk.inOrder };
      bulk = null;
      return result;
    },
    // A: COUNT round trips of SIZE-byte binary messages after WARMUP unmeasured ones, one at a time.
    async ping(cmd) {
      const dc = open();
      const rtts = [];
      for (let i = 0; i < cmd.warmup + cmd.count; i++) {
        const back = new Promise((resolve) => {
          pong = resolve;
        });
        const start = env.now();
        dc.send(numbered(cmd.size, i));
        const bytes = await back;
        const rtt = env.now() - start;
        if (sequenceOf(bytes) !== i || bytes.length !== cmd.size) throw new Error(`pong ${i} came back wrong`);
        if (i >= cmd.warmup) rtts.push(rtt);
      }
      pong = null;
      return { rtts };
    },
    async stats() {
      const report = await pc.getStats();
      const entries = [];
      report.forEach((s) => entries.push(s));
      const transport = entries.find((s) => s.type === "transport");
      return {
        tlsVersion: transport?.tlsVersion ?? null,
        dtlsCipher: transport?.dtlsCipher ?? null,
        dtlsRole: transport?.dtlsRole ?? null,
      };
    },
    async close() {
      if (pc) await pc.close();
      return {};
    },
  };

  /** Runs one command object and returns its reply object (never throws). */
  async function handle(cmd) {
    const id = cmd?.id ?? null;
    const run = commands[cmd?.cmd];
    if (!run) return { reply: id, ok: false, error: `unknown command ${JSON.stringify(cmd?.cmd)}` };
    try {
      return { reply: id, ok: true, result: (await run(cmd)) ?? {} };
    } catch (e) {
      return { reply: id, ok: false, error: String(e?.message ?? e) };
    }
  }

  return { handle };
}
