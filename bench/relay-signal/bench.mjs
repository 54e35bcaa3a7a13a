// Relay signalling bench: ours (/signal) vs y-webrtc's bin/server.js in the same run.
// Usage: node bench/relay-signal/bench.mjs RELAY_DLL [--rounds N] [--warm-ms MS] [--idle 1000,10000|0] [--out FILE.md]
import { writeFileSync } from 'node:fs'
import { runFanout } from './fanout.mjs'
import { openIdle } from './idle.mjs'
import { cpuMs, rssKiB } from './proc.mjs'
import { startAnchor, startOurs } from './servers.mjs'
import { report } from './report.mjs'

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const at = args.indexOf(name)
  return at >= 0 ? args[at + 1] : fallback
}
const relayDll = args[0]
const rounds = Number(option('--rounds', '3'))
const idleCounts = option('--idle', '1000,10000').split(',').map(Number).filter((n) => n > 0)
const warmMs = Number(option('--warm-ms', '8000'))
const out = option('--out', null)
// Sized so that even the fastest server takes a few hundred ms per case (CPU time is read in 10 ms ticks).
const fanoutCases = [
  { subscribers: 1, publishes: 60000 },
  { subscribers: 10, publishes: 12000 },
  { subscribers: 100, publishes: 2000 }
]
const implementations = { anchor: startAnchor, ours: () => startOurs(relayDll) }
// A variant of ours, fan-out only: .NET's inline socket completions, which Kestrel also takes as
// its UnsafePreferInlineScheduling default, so a message is read, parsed and forwarded on the
// socket's event thread without thread-pool hops. Not the relay's default: the mailbox's SQLite
// writes would then block an event thread (see bench/results/relay-signal.md).
const variants = { 'ours-inline': () => startOurs(relayDll, { DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS: '1' }) }
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// All servers run side by side (an idle one costs nothing) and each round measures every server
// on a case back to back, so the ratios compare servers under the same machine load; the shared
// machine's load drifts over minutes, and whole-server blocks minutes apart compared that drift.
const fanout = { anchor: [], ours: [], 'ours-inline': [] }
const servers = {}
try {
  for (const [name, startServer] of Object.entries(rounds > 0 ? { ...implementations, ...variants } : {})) {
    servers[name] = await startServer()
    // Warm-up, not recorded: each case runs for warmMs, so both JITs (V8's and .NET's tiered
    // compilation with dynamic PGO, which keeps re-compiling hot methods for seconds) and the
    // buffer pools reach their steady state; a short warm-up measured .NET's JIT, not its relay.
    for (const c of fanoutCases) {
      const warmStart = Date.now()
      while (Date.now() - warmStart < warmMs) await runFanout({ url: servers[name].url, subscribers: c.subscribers, publishes: Math.ceil(c.publishes / 4) })
    }
  }
  for (let round = 0; round < rounds; round++) {
    for (const c of fanoutCases) {
      for (const [name, server] of Object.entries(servers)) {
        const cpuBefore = cpuMs(server.pid)
        const result = await runFanout({ url: server.url, ...c })
        result.serverCpuMs = cpuMs(server.pid) - cpuBefore
        result.round = round
        fanout[name].push(result)
        console.error(`${name} round ${round} S=${c.subscribers}: ${Math.round(result.deliveriesPerSecond)}/s p99 ${result.p99Ms.toFixed(2)} ms, server CPU ${result.serverCpuMs} ms, load CPU ${Math.round(result.loadCpuMs)} ms`)
      }
    }
  }
} finally {
  for (const server of Object.values(servers)) await server.stop()
}

const idle = { anchor: [], ours: [] }
for (const count of idleCounts) {
  for (const [name, startServer] of Object.entries(implementations)) {
    const server = await startServer()
    try {
      const warm = await openIdle(server.url, 50)
      await sleep(1000)
      warm.close()
      await sleep(1000)
      const before = rssKiB(server.pid)
      const held = await openIdle(server.url, count)
      await sleep(3000)
      const after = rssKiB(server.pid)
      const result = { count, open: held.open(), rssBeforeKiB: before, rssAfterKiB: after, perConnectionKiB: (after - before) / count }
      held.close()
      idle[name].push(result)
      console.error(`${name} idle ${count}: ${result.open} open, RSS ${before} -> ${after} KiB, ${result.perConnectionKiB.toFixed(2)} KiB each`)
    } finally {
      await server.stop()
    }
  }
}

const markdown = report({ fanout, idle, rounds, fanoutCases, warmMs })
if (out) writeFileSync(out, markdown)
process.stdout.write(markdown)
