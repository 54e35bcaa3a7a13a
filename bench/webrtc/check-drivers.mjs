// Checks that the bench drivers (ours and werift; Chromium's page runs werift's same peer-core.mjs)
// refuse bad commands with a reason and keep serving, before run.sh trusts them with a measurement:
// fixed bad lines, then seeded mutations of valid command lines (the seed is printed). Runs each
// driver inside the namespace it is given, and never sends a command that creates a peer, except
// ours' refused `answer` at the very end.
//   node check-drivers.mjs --ns NS --work DIR [--ours DLL] [--mutations N] [--seed N]
import { parseArgs } from "node:util";
import { PeerProcess } from "./peer-process.mjs";

const { values: opt } = parseArgs({
  options: {
    ns: { type: "string" },
    work: { type: "string" },
    ours: { type: "string", default: "" },
    mutations: { type: "string", default: "300" },
    seed: { type: "string", default: "" },
  },
});
if (!opt.ns || !opt.work) throw new Error("check-drivers.mjs needs --ns and --work");
const seed = opt.seed ? Number(opt.seed) : Math.floor(Math.random() * 2 ** 31);
const here = new URL(".", import.meta.url).pathname;

// mulberry32: a small seeded generator, so a failing mutation can be replayed with --seed.
function generator(state) {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Valid lines that need an open channel or a peer, so every one of them must be refused here.
const templates = [
  '{"id":1,"cmd":"bulk","bytes":1048576,"chunk":65536}',
  '{"id":2,"cmd":"ping","count":10,"size":32,"warmup":1}',
  '{"id":3,"cmd":"candidate","candidate":"candidate:1 1 udp 2130706431 10.9.9.9 5000 typ host","sdpMid":"0","sdpMLineIndex":0}',
  '{"id":4,"cmd":"remoteAnswer","sdp":"v=0\\r\\no=- 1 1 IN IP4 0.0.0.0\\r\\n"}',
  '{"id":5,"cmd":"stats"}',
];
const fixed = [
  "not json",
  "[1,2]",
  "42",
  "{}",
  '{"id":10}',
  '{"id":11,"cmd":"nope"}',
  '{"id":12,"cmd":7}',
  ...templates,
];
const PEER_CREATING = new Set(["offer", "answer"]);

function mutate(line, random) {
  const chars = [...line];
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * chars.length);
    const kind = random();
    if (kind < 0.3) chars[at] = String.fromCharCode(32 + Math.floor(random() * 95));
    else if (kind < 0.5) chars.splice(at, 1);
    else if (kind < 0.7) chars.splice(at, 0, '"{}[],:0-e\\'[Math.floor(random() * 11)]);
    else if (kind < 0.85) chars.length = Math.max(1, at);
    else chars.splice(at, 0, String.fromCharCode(0x80 + Math.floor(random() * 0x700)));
  }
  return chars.join("");
}

function createsPeer(line) {
  try {
    return PEER_CREATING.has(JSON.parse(line)?.cmd);
  } catch {
    return false;
  }
}

async function check(name, argv) {
  const driver = new PeerProcess(`${name}-check`, opt.ns, argv, `${opt.work}/${name}-check.log`);
  const failures = [];
  try {
    await driver.waitFor((e) => e.event === "ready", 60000, "ready");
    const expectRefusal = async (line) => {
      const reply = await driver.raw(line, 10000);
      if (reply.ok || typeof reply.error !== "string" || reply.error.length === 0) {
        failures.push(`${JSON.stringify(line)} got ${JSON.stringify(reply)}`);
      }
    };
    for (const line of fixed) await expectRefusal(line);
    const random = generator(seed);
    let sent = 0;
    while (sent < Number(opt.mutations)) {
      const line = mutate(templates[Math.floor(random() * templates.length)], random);
      if (line.trim() === "" || createsPeer(line)) continue;
      await expectRefusal(line);
      sent++;
    }
    // Still serving after all of it.
    await expectRefusal('{"id":99,"cmd":"nope"}');
    // Ours checks a description before it makes anything of it (werift takes any text).
    if (name === "ours") await expectRefusal('{"id":100,"cmd":"answer","sdp":"this is not SDP"}');
    return { name, lines: fixed.length + sent + (name === "ours" ? 2 : 1), failures };
  } finally {
    await driver.stop(5000);
  }
}

const drivers = [["werift", ["node", `${here}werift-peer.mjs`]]];
if (opt.ours) drivers.unshift(["ours", ["dotnet", opt.ours, "--side", "a", "--seed", String(seed)]]);
let failed = false;
for (const [name, argv] of drivers) {
  const result = await check(name, argv);
  if (result.failures.length) {
    failed = true;
    console.error(`check-drivers: ${name} accepted or mishandled ${result.failures.length} of ${result.lines} bad lines (seed ${seed}):`);
    for (const f of result.failures.slice(0, 10)) console.error(`  ${f}`);
  } else {
    console.error(`check-drivers: ${name} refused all ${result.lines} bad lines with a reason and kept serving (seed ${seed})`);
  }
}
process.exit(failed ? 1 : 0);
