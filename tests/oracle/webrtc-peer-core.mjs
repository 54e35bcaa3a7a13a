// The WebRTC test-peer control protocol, shared by both drivers: webrtc-werift-peer.mjs runs it in
// Node over werift's RTCPeerConnection, webrtc-chromium-peer.mjs serves this same file to a page in
// headless Chromium and runs it over the browser's. One implementation means the C# RemotePeer sees
// the same events, in the same shapes, from both peers. The protocol is described in
// docs/dev/webrtc-harness.md.
//
// Runs in Node and in a browser, so it touches only what both have: no Buffer, no fs.

/**
 * @param {object} env
 * @param {Function} env.RTCPeerConnection the constructor to use (werift's or the browser's)
 * @param {(event: object) => void} env.emit sends one event line to the test
 * @param {(data: any) => string} env.toBase64 encodes a received binary message
 * @param {(text: string) => any} env.fromBase64 decodes a binary payload into what channel.send takes
 * @param {(options: object) => object} env.configure turns createPeer options into an RTCConfiguration
 * @param {(channel: object) => void} [env.prepareChannel] per-platform channel setup (binaryType)
 */
export function createPeerController(env) {
  let pc = null;
  const channels = new Map();

  function peer() {
    if (!pc) throw new Error("no peer: send createPeer first");
    return pc;
  }

  function channel(label) {
    const found = channels.get(label);
    if (!found) throw new Error(`no channel labelled ${JSON.stringify(label)}`);
    return found;
  }

  function describeChannel(dc) {
    return {
      label: dc.label,
      id: dc.id ?? null,
      ordered: dc.ordered,
      maxRetransmits: dc.maxRetransmits ?? null,
      protocol: dc.protocol ?? "",
    };
  }

  // Both local and remote channels go through here, so every channel reports the same events.
  function track(dc) {
    channels.set(dc.label, dc);
    if (env.prepareChannel) env.prepareChannel(dc);
    let opened = false;
    const announceOpen = () => {
      if (opened) return;
      opened = true;
      env.emit({ event: "channelOpen", ...describeChannel(dc) });
    };
    dc.onopen = announceOpen;
    // A channel the remote side made may already be open when it is handed to us.
    if (dc.readyState === "open") announceOpen();
    dc.onmessage = (e) => {
      if (typeof e.data === "string") {
        env.emit({ event: "channelMessage", label: dc.label, text: e.data });
      } else {
        env.emit({ event: "channelMessage", label: dc.label, binary: env.toBase64(e.data) });
      }
    };
    dc.onclose = () => env.emit({ event: "channelClose", label: dc.label });
  }

  async function localDescription(kind) {
    const p = peer();
    const description = kind === "offer" ? await p.createOffer() : await p.createAnswer();
    await p.setLocalDescription(description);
    const current = { type: p.localDescription.type, sdp: p.localDescription.sdp };
    env.emit({ event: "localDescription", ...current });
    return current;
  }

  const commands = {
    createPeer(cmd) {
      if (pc) throw new Error("createPeer twice: one peer per driver");
      pc = new env.RTCPeerConnection(env.configure(cmd.options ?? {}));
      pc.onicecandidate = (e) => {
        const c = e.candidate;
        const init = c ? (typeof c.toJSON === "function" ? c.toJSON() : c) : null;
        env.emit({
          event: "localCandidate",
          candidate: init && {
            candidate: init.candidate,
            sdpMid: init.sdpMid ?? null,
            sdpMLineIndex: init.sdpMLineIndex ?? null,
            usernameFragment: init.usernameFragment ?? null,
          },
        });
      };
      pc.onconnectionstatechange = () => env.emit({ event: "connectionState", state: pc.connectionState });
      pc.ondatachannel = (e) => track(e.channel);
      return {};
    },
    createDataChannel(cmd) {
      if (typeof cmd.label !== "string") throw new Error("createDataChannel needs a string label");
      if (channels.has(cmd.label)) throw new Error(`a channel labelled ${JSON.stringify(cmd.label)} exists`);
      const init = { ordered: cmd.ordered ?? true };
      if (cmd.maxRetransmits !== undefined && cmd.maxRetransmits !== null) init.maxRetransmits = cmd.maxRetransmits;
      const dc = peer().createDataChannel(cmd.label, init);
      track(dc);
      return describeChannel(dc);
    },
    createOffer: () => localDescription("offer"),
    createAnswer: () => localDescription("answer"),
    // The current local description: after gathering, Chromium's includes the a=candidate lines
    // its first one lacked (the captured SDP goldens are taken from here).
    getLocalDescription() {
      const d = peer().localDescription;
      if (!d) throw new Error("no local description yet");
      return { type: d.type, sdp: d.sdp };
    },
    async setRemoteDescription(cmd) {
      if (cmd.type !== "offer" && cmd.type !== "answer") throw new Error("setRemoteDescription needs type offer or answer");
      if (typeof cmd.sdp !== "string") throw new Error("setRemoteDescription needs an sdp string");
      await peer().setRemoteDescription({ type: cmd.type, sdp: cmd.sdp });
      return {};
    },
    async addCandidate(cmd) {
      // null (or an empty candidate string) is the end-of-candidates marker.
      const c = cmd.candidate;
      if (c === null || c === undefined || c.candidate === "") {
        await peer().addIceCandidate(null);
      } else {
        await peer().addIceCandidate({
          candidate: c.candidate,
          sdpMid: c.sdpMid ?? "0",
          sdpMLineIndex: c.sdpMLineIndex ?? 0,
          usernameFragment: c.usernameFragment ?? undefined,
        });
      }
      return {};
    },
    send(cmd) {
      const dc = channel(cmd.label);
      if (typeof cmd.text === "string") {
        dc.send(cmd.text);
      } else if (typeof cmd.binary === "string") {
        dc.send(env.fromBase64(cmd.binary));
      } else {
        throw new Error("send needs text or binary (base64)");
      }
      return {};
    },
    closeChannel(cmd) {
      channel(cmd.label).close();
      return {};
    },
    async stats() {
      // Only the facts tests assert on; werift's report has fewer fields, so absent ones stay null.
      const report = await peer().getStats();
      const out = { connectionState: peer().connectionState, transport: null, selectedPair: null };
      const entries = [];
      report.forEach((s) => entries.push(s));
      const transport = entries.find((s) => s.type === "transport");
      if (transport) {
        out.transport = {
          dtlsState: transport.dtlsState ?? null,
          dtlsRole: transport.dtlsRole ?? null,
          iceRole: transport.iceRole ?? null,
          dtlsCipher: transport.dtlsCipher ?? null,
          tlsVersion: transport.tlsVersion ?? null,
          srtpCipher: transport.srtpCipher ?? null,
        };
        const pair = entries.find((s) => s.id === transport.selectedCandidatePairId);
        if (pair) {
          const local = entries.find((s) => s.id === pair.localCandidateId);
          const remote = entries.find((s) => s.id === pair.remoteCandidateId);
          out.selectedPair = {
            local: local ? `${local.address ?? local.ip}:${local.port} ${local.candidateType}` : null,
            remote: remote ? `${remote.address ?? remote.ip}:${remote.port} ${remote.candidateType}` : null,
          };
        }
      }
      return out;
    },
    async closePeer() {
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
