// Handoff latency between two running nodes, measured from the apps' point of view: the time
// from the request on the local API (POST /api/handoff/offer on A, or /pull on B) until B's
// event stream says `ready` (B has applied every missing update, resolved the positions and
// resumed the activity). For a push, B "accepts as an app would": on its `offered` event.
//
//   node handoff-bench.mjs --mode small --a API_A --b API_B --a-id ID --b-id ID --doc DOC [--samples 30 --warmup 5]
//     alternates push and pull on a short document both nodes already have; one JSON line:
//     {mode:"small", push:{samplesMs:[...]}, pull:{samplesMs:[...]}, bytesTotal:[...]}
//   node handoff-bench.mjs --mode large --a API_A --b API_B --a-id ID --b-id ID --doc DOC --text-length N [--via push|pull]
//     one handoff of a document B lacks, started the moment B hears of A's activity; one JSON line:
//     {mode:"large", label, via, ms, bytesTotal, progressEvents}; with --via pull B asks at the first
//     moment it can (retrying until it has heard of A's activity) and ms counts from that request.
//     --dial HOST:PORT: B is told to trust and dial A only once this process is ready to pull (A
//     must already trust B), so no process start-up lies between the connection and the pull.
// Every wait is bounded; exits non-zero with a message when one runs out.

import { parseArgs } from 'node:util'
import { HandoffEvents, ENDS } from './sse.mjs'

const { values: opts } = parseArgs({
  options: {
    mode: { type: 'string' },
    a: { type: 'string' },
    b: { type: 'string' },
    'a-id': { type: 'string' },
    'b-id': { type: 'string' },
    doc: { type: 'string' },
    samples: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    'text-length': { type: 'string' },
    via: { type: 'string', default: 'push' },
    label: { type: 'string', default: 'large' },
    dial: { type: 'string' }
  }
})
for (const required of ['mode', 'a', 'b', 'a-id', 'b-id', 'doc']) {
  if (!opts[required]) {
    console.error(`missing --${required}`)
    process.exit(2)
  }
}

const TRANSFER_MS = 120000
const STEP_MS = 30000

async function call (method, url, body) {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(STEP_MS)
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`)
  return text.length === 0 ? undefined : JSON.parse(text)
}

/** Polls B's GET /api/handoff until A's advertised activity satisfies `ok` (every `everyMs`). */
async function untilBSees (ok, everyMs, what) {
  const deadline = performance.now() + STEP_MS
  while (performance.now() < deadline) {
    const listing = await call('GET', `${opts.b}api/handoff`)
    const activity = listing.activities.find((x) => x.deviceId === opts['a-id'])
    if (activity && ok(activity)) return activity
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
  throw new Error(`B never saw ${what}`)
}

/** One handoff A -> B; resolves to {ms, id, bytesTotal, progressEvents} once B is ready. */
async function handoff (via, eventsA, eventsB) {
  const t0 = performance.now()
  let id
  if (via === 'push') {
    id = (await call('POST', `${opts.a}api/handoff/offer`, { to: opts['b-id'] })).id
    await eventsB.waitFor((e) => e.kind === 'offered' && e.id === id, STEP_MS, `offer ${id} on B`)
    await call('POST', `${opts.b}api/handoff/${encodeURIComponent(id)}/accept`)
  } else {
    id = (await call('POST', `${opts.b}api/handoff/pull`, { from: opts['a-id'] })).id
  }
  const end = await eventsB.waitFor((e) => e.id === id && ENDS.has(e.kind), TRANSFER_MS, `end of ${id} on B`)
  const ms = end.at - t0
  if (end.kind !== 'ready') throw new Error(`handoff ${id} ended ${end.kind}: ${end.reason}`)
  // The sender learns the result too; wait for it so the next sample starts from a quiet pair.
  await eventsA.waitFor((e) => e.id === id && ENDS.has(e.kind), STEP_MS, `end of ${id} on A`)
  const mine = eventsB.events.filter((e) => e.id === id)
  return {
    ms: Number(ms.toFixed(3)),
    id,
    bytesTotal: Math.max(0, ...mine.map((e) => e.bytesTotal ?? 0)),
    progressEvents: mine.filter((e) => e.kind === 'progress').length
  }
}

async function small (eventsA, eventsB) {
  const samples = Number(opts.samples)
  const warmup = Number(opts.warmup)
  const result = { mode: 'small', push: { samplesMs: [] }, pull: { samplesMs: [] }, bytesTotal: [] }
  for (let i = 0; i < warmup + 2 * samples; i++) {
    // A works on: a new activity version, which B must have heard of before the next handoff.
    const set = await call('PUT', `${opts.a}api/activity`, { documents: [{ id: opts.doc, cursor: i % 5, anchor: 0 }], state: { sample: i, panel: 'editor' } })
    await untilBSees((x) => x.version >= set.version && x.handedOffTo == null, 1, `A's activity version ${set.version}`)
    const via = i % 2 === 0 ? 'push' : 'pull'
    const one = await handoff(via, eventsA, eventsB)
    if (i < warmup) continue
    result[via].samplesMs.push(one.ms)
    result.bytesTotal.push(one.bytesTotal)
  }
  return result
}

/**
 * Asks B to pull again and again until B has heard of A's activity and accepts (202): the
 * earliest moment a pull can start, before plain sync on the new connection brings the document.
 * Returns the accepted request's start time and the handoff id.
 */
async function eagerPull () {
  const deadline = performance.now() + STEP_MS
  while (performance.now() < deadline) {
    const t0 = performance.now()
    const response = await fetch(`${opts.b}api/handoff/pull`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: opts['a-id'] }),
      signal: AbortSignal.timeout(STEP_MS)
    })
    const text = await response.text()
    if (response.status === 202) return { t0, id: JSON.parse(text).id }
    if (response.status >= 500) throw new Error(`POST pull: ${response.status} ${text}`)
  }
  throw new Error('B never could pull A\'s activity')
}

async function large (eventsA, eventsB) {
  let one
  if (opts.via === 'pull') {
    // B connects now (or did a moment ago) and lacks the document: pull at the first chance.
    if (opts.dial) await call('POST', `${opts.b}api/peers`, { deviceId: opts['a-id'], addresses: [opts.dial] })
    const { t0, id } = await eagerPull()
    const end = await eventsB.waitFor((e) => e.id === id && ENDS.has(e.kind), TRANSFER_MS, `end of ${id} on B`)
    if (end.kind !== 'ready') throw new Error(`handoff ${id} ended ${end.kind}: ${end.reason}`)
    await eventsA.waitFor((e) => e.id === id && ENDS.has(e.kind), STEP_MS, `end of ${id} on A`)
    const mine = eventsB.events.filter((e) => e.id === id)
    one = { ms: Number((end.at - t0).toFixed(3)), bytesTotal: Math.max(0, ...mine.map((e) => e.bytesTotal ?? 0)), progressEvents: mine.filter((e) => e.kind === 'progress').length }
  } else {
    await untilBSees((x) => x.documents.some((d) => d.id === opts.doc), 1, `A's activity with ${opts.doc}`)
    one = await handoff(opts.via, eventsA, eventsB)
  }
  const doc = await call('GET', `${opts.b}api/docs/${opts.doc}`)
  if (opts['text-length'] && doc.text.length !== Number(opts['text-length'])) {
    throw new Error(`B is ready but holds ${doc.text.length} of ${opts['text-length']} characters`)
  }
  return { mode: 'large', label: opts.label, via: opts.via, ms: one.ms, bytesTotal: one.bytesTotal, progressEvents: one.progressEvents }
}

const eventsA = new HandoffEvents(opts.a)
const eventsB = new HandoffEvents(opts.b)
const watchdog = setTimeout(() => { console.error('handoff bench: gave up after 20 minutes'); process.exit(3) }, 20 * 60000)
try {
  await Promise.all([eventsA.opened, eventsB.opened])
  const result = opts.mode === 'small' ? await small(eventsA, eventsB) : await large(eventsA, eventsB)
  console.log(JSON.stringify(result))
} catch (error) {
  console.error(`handoff bench: ${error.message}`)
  process.exitCode = 1
} finally {
  clearTimeout(watchdog)
  eventsA.close()
  eventsB.close()
}
