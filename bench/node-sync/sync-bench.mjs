// Measures one y-websocket deployment from the point of view of two unmodified npm y-websocket
// clients, A and B, living in THIS process (so every latency is read off one clock):
//
//   node sync-bench.mjs --name NAME --a WS_URL_A --b WS_URL_B --keys ROOM --paper ROOM --trace FILE.json.gz
//        [--burst ROOM] [--skip-paper] [--warmup 100] [--samples 1000] [--gap-ms 2] [--updates 10000] [--runs 3] [--fresh 5]
//
// For the anchor both URLs point at one @y/websocket-server; for us A's URL is node A's
// /yjs endpoint and B's is node B's, so every change crosses the encrypted node-to-node link.
// Prints one JSON line on stdout; progress on stderr. Every wait is bounded: a timeout is
// recorded as an error in the JSON (the report shows it) instead of hanging the bench.
//
// Metrics:
//   latency     one-character insert on A -> B's doc emits the update (sequential keystrokes)
//   throughput  N single-character transactions on A as fast as the event loop allows
//               (batches of 100 per macrotask, so sockets drain) -> B has all N; N / elapsed.
//               In room --burst when given (default: --keys), so the caller can count what the
//               receiving node stored for exactly these runs (signed records: one per burst).
//   bulk        a client on A uploads the whole automerge-paper document; time until an
//               already connected client on B has the full text (includes node-to-node transfer)
//   initialSync a fresh, empty client connects to B (which already holds the paper);
//               time from construction until it has the full text

import * as Y from '../../tests/oracle/node_modules/yjs/dist/yjs.mjs'
import { WebsocketProvider } from '../../tests/oracle/node_modules/y-websocket/src/y-websocket.js'
import WebSocket from '../../tests/oracle/node_modules/ws/wrapper.mjs'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { replayTrace } from './trace.mjs'

const { values: opts } = parseArgs({
  options: {
    name: { type: 'string' },
    a: { type: 'string' },
    b: { type: 'string' },
    keys: { type: 'string' },
    burst: { type: 'string' },
    paper: { type: 'string' },
    trace: { type: 'string' },
    warmup: { type: 'string', default: '100' },
    samples: { type: 'string', default: '1000' },
    'gap-ms': { type: 'string', default: '2' },
    updates: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '3' },
    fresh: { type: 'string', default: '5' },
    'skip-paper': { type: 'boolean', default: false }
  }
})
for (const required of opts['skip-paper'] ? ['name', 'a', 'b', 'keys'] : ['name', 'a', 'b', 'keys', 'paper', 'trace']) {
  if (!opts[required]) {
    console.error(`missing --${required}`)
    process.exit(2)
  }
}
const count = (key) => {
  const n = Number(opts[key])
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${key} must be a non-negative integer`)
    process.exit(2)
  }
  return n
}
const warmup = count('warmup')
const samples = count('samples')
const gapMs = count('gap-ms')
const updates = count('updates')
const runs = count('runs')
const freshRuns = count('fresh')

const log = (line) => console.error(`[${opts.name}] ${line}`)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const nextMacrotask = () => new Promise((resolve) => setImmediate(resolve))

class TimeoutError extends Error {}

// Resolves as soon as pred() holds, re-checked on every update the doc emits (no polling, so
// the time we read is the time the update arrived); rejects after timeoutMs.
const waitUntil = (doc, pred, timeoutMs, what) => new Promise((resolve, reject) => {
  if (pred()) { resolve(); return }
  const onUpdate = () => {
    if (!pred()) return
    cleanup()
    resolve()
  }
  const timer = setTimeout(() => { cleanup(); reject(new TimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}`)) }, timeoutMs)
  const cleanup = () => { clearTimeout(timer); doc.off('update', onUpdate) }
  doc.on('update', onUpdate)
})

const waitSynced = (provider, timeoutMs, what) => new Promise((resolve, reject) => {
  if (provider.synced) { resolve(); return }
  const onSync = (synced) => { if (synced) { cleanup(); resolve() } }
  const timer = setTimeout(() => { cleanup(); reject(new TimeoutError(`timed out after ${timeoutMs} ms waiting for ${what} to sync`)) }, timeoutMs)
  const cleanup = () => { clearTimeout(timer); provider.off('sync', onSync) }
  provider.on('sync', onSync)
})

const connect = (url, room, doc = new Y.Doc()) => {
  // disableBc: both clients live in one process; a BroadcastChannel would let them talk
  // past the server and measure nothing.
  const provider = new WebsocketProvider(url, room, doc, { WebSocketPolyfill: WebSocket, disableBc: true })
  return { doc, provider, text: doc.getText('text') }
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))]
const median = (values) => percentile([...values].sort((x, y) => x - y), 50)
const round = (x, digits = 3) => Number(x.toFixed(digits))

const result = { name: opts.name, errors: [] }
const guarded = async (what, fn) => {
  try {
    await fn()
  } catch (err) {
    log(`${what} FAILED: ${err.message}`)
    result.errors.push(`${what}: ${err.message}`)
  }
}

const overall = setTimeout(() => {
  log('overall timeout (15 min); giving up')
  console.log(JSON.stringify({ ...result, errors: [...result.errors, 'overall timeout'] }))
  process.exit(4)
}, 15 * 60 * 1000)

const keysA = connect(opts.a, opts.keys)
const keysB = connect(opts.b, opts.keys)
await guarded('connect', async () => {
  await waitSynced(keysA.provider, 30000, 'client A')
  await waitSynced(keysB.provider, 30000, 'client B')
})

// --samples 0 skips the latency phase (percentiles of nothing are undefined).
if (samples > 0) await guarded('latency', async () => {
  const [A, B] = [keysA, keysB]
  const latencies = []
  for (let i = 0; i < warmup + samples; i++) {
    const expected = A.text.length + 1
    const arrived = waitUntil(B.doc, () => B.text.length >= expected, 5000, `keystroke ${i} on B`)
    const start = performance.now()
    A.text.insert(A.text.length, String.fromCharCode(97 + (i % 26)))
    await arrived
    if (i >= warmup) latencies.push(performance.now() - start)
    if (gapMs > 0) await sleep(gapMs)
  }
  const sorted = [...latencies].sort((x, y) => x - y)
  result.latency = {
    samples: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1]),
    meanMs: round(sorted.reduce((s, x) => s + x, 0) / sorted.length)
  }
  if (A.text.toString() !== B.text.toString()) throw new Error('A and B differ after the latency run')
  log(`latency p50 ${result.latency.p50Ms} ms, p99 ${result.latency.p99Ms} ms`)
})

if (runs > 0) await guarded('throughput', async () => {
  // A second pair of clients when the throughput has its own room; the latency pair otherwise.
  const [A, B] = opts.burst && opts.burst !== opts.keys
    ? [connect(opts.a, opts.burst), connect(opts.b, opts.burst)]
    : [keysA, keysB]
  await waitSynced(A.provider, 30000, 'burst client A')
  await waitSynced(B.provider, 30000, 'burst client B')
  const perRun = []
  for (let run = 0; run < runs; run++) {
    const target = A.text.length + updates
    const arrived = waitUntil(B.doc, () => B.text.length >= target, 180000, `${updates} updates on B`)
    arrived.catch(() => {}) // observed below; avoids an unhandled rejection while we are still sending
    const start = performance.now()
    for (let i = 0; i < updates; i++) {
      A.text.insert(A.text.length, 'y') // one transaction, so one update message, per character
      if (i % 100 === 99) await nextMacrotask()
    }
    const sentMs = performance.now() - start
    await arrived
    const elapsedMs = performance.now() - start
    perRun.push({ updates, sentMs: round(sentMs), elapsedMs: round(elapsedMs), updatesPerSecond: round(updates / (elapsedMs / 1000), 0) })
    log(`throughput run ${run}: ${perRun[run].updatesPerSecond} updates/s`)
    await sleep(500) // let both sides settle before the next run
  }
  if (A.text.toString() !== B.text.toString()) throw new Error('A and B differ after the throughput runs')
  result.throughput = { runs: perRun, medianUpdatesPerSecond: median(perRun.map((r) => r.updatesPerSecond)) }
  if (A !== keysA) {
    A.provider.destroy()
    B.provider.destroy()
  }
})

if (!opts['skip-paper']) await guarded('initial sync', async () => {
  const { update, content } = replayTrace(opts.trace)
  result.paper = { updateBytes: update.length, textLength: content.length }
  const has = (text) => () => text.length === content.length

  const probe = connect(opts.b, opts.paper)
  await waitSynced(probe.provider, 30000, 'probe on B')
  const loaderDoc = new Y.Doc()
  Y.applyUpdate(loaderDoc, update)
  const bulkStart = performance.now()
  const loader = connect(opts.a, opts.paper, loaderDoc)
  await waitUntil(probe.doc, has(probe.text), 120000, 'the paper on the probe client on B')
  result.bulkMs = round(performance.now() - bulkStart)
  if (probe.text.toString() !== content) throw new Error('probe on B has a different text')
  log(`bulk A->B ${result.bulkMs} ms`)

  const times = []
  for (let run = 0; run < freshRuns; run++) {
    const start = performance.now()
    const fresh = connect(opts.b, opts.paper)
    await waitUntil(fresh.doc, has(fresh.text), 60000, `the paper on fresh client ${run}`)
    times.push(round(performance.now() - start))
    if (fresh.text.toString() !== content) throw new Error(`fresh client ${run} has a different text`)
    fresh.provider.destroy()
    fresh.doc.destroy()
    await sleep(200)
  }
  result.initialSync = { runs: times, medianMs: median(times) }
  log(`initial sync median ${result.initialSync.medianMs} ms`)
  loader.provider.destroy()
  probe.provider.destroy()
})

clearTimeout(overall)
keysA.provider.destroy()
keysB.provider.destroy()
console.log(JSON.stringify(result))
process.exit(result.errors.length === 0 ? 0 : 1)
