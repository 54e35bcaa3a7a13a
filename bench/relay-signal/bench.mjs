// Relay signalling bench: ours (/signal) vs y-webrtc's bin/server.js in the same run.
// Usage: node bench/relay-signal/bench.mjs RELAY_DLL [--rounds N] [--idle 1000,10000] [--out FILE.md]
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
const idleCounts = option('--idle', '1000,10000').split(',').map(Number)
const out = option('--out', null)
const fanoutCases = [
  { subscribers: 1, publishes: 20000 },
  { subscribers: 10, publishes: 4000 },
  { subscribers: 100, publishes: 600 }
]
const implementations = { anchor: startAnchor, ours: () => startOurs(relayDll) }
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

const fanout = { anchor: [], ours: [] }
for (const [name, startServer] of Object.entries(rounds > 0 ? implementations : {})) {
  const server = await startServer()
  try {
    // Warm-up (JIT, pools), not recorded.
    for (const c of fanoutCases) await runFanout({ url: server.url, subscribers: c.subscribers, publishes: Math.ceil(c.publishes / 4) })
    for (let round = 0; round < rounds; round++) {
      for (const c of fanoutCases) {
        const cpuBefore = cpuMs(server.pid)
        const result = await runFanout({ url: server.url, ...c })
        result.serverCpuMs = cpuMs(server.pid) - cpuBefore
        result.round = round
        fanout[name].push(result)
        console.error(`${name} round ${round} S=${c.subscribers}: ${Math.round(result.deliveriesPerSecond)}/s p99 ${result.p99Ms.toFixed(2)} ms, server CPU ${result.serverCpuMs} ms`)
      }
    }
  } finally {
    await server.stop()
  }
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

const markdown = report({ fanout, idle, rounds, fanoutCases })
if (out) writeFileSync(out, markdown)
process.stdout.write(markdown)
