// Measures yjs on one sequential editing trace, the same way bench/P2PSync.Bench measures us:
//   node --expose-gc bench/yjs/trace-bench.mjs TRACE.json.gz RUNS
// Prints one JSON line: {"trace":..,"updateSha256":..,"runs":[{applyMs,encodeMs,loadMs,updateBytes,heapBytes}],..}.
// Run 0 is a warm-up for the JIT and is reported separately, so medians compare warmed-up code.
//
// yjs is imported from the oracle's node_modules (tests/oracle, pinned to 13.6.33) so the bench
// and the differential tests always measure the same version.

import * as Y from '../../tests/oracle/node_modules/yjs/dist/yjs.mjs'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { createHash } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { basename } from 'node:path'

if (typeof globalThis.gc !== 'function') {
  console.error('run node with --expose-gc so heap numbers are measured after a full GC')
  process.exit(2)
}

const [file, runsArg] = process.argv.slice(2)
if (!file) {
  console.error('usage: node --expose-gc trace-bench.mjs TRACE.json.gz [RUNS]')
  process.exit(2)
}
const runs = Number(runsArg ?? 5)
const CLIENT_ID = 1 // the same fixed client id as our side, so encoded sizes are comparable

const trace = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'))

// Trace positions count code points; JS strings index UTF-16 units. Only traces that ever
// insert an astral character need the conversion, and for them we keep the code-point
// positions of astral characters in a sorted array (mirrors CodePointMap.cs).
const hasAstral = trace.txns.some(t => t.patches.some(p => /[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(p[2])))

const countBefore = (astral, pos) => {
  let lo = 0, hi = astral.length
  while (lo < hi) { const mid = (lo + hi) >> 1; if (astral[mid] < pos) lo = mid + 1; else hi = mid }
  return lo
}

const replay = (doc) => {
  const text = doc.getText('text')
  if (trace.startContent) text.insert(0, trace.startContent)
  const astral = []
  for (const txn of trace.txns) {
    doc.transact(() => {
      for (const [pos, del, ins] of txn.patches) {
        if (!hasAstral) {
          if (del > 0) text.delete(pos, del)
          if (ins.length > 0) text.insert(pos, ins)
          continue
        }
        const at = countBefore(astral, pos)
        if (del > 0) {
          const end = countBefore(astral, pos + del)
          text.delete(pos + at, del + end - at)
          astral.splice(at, end - at)
          for (let i = at; i < astral.length; i++) astral[i] -= del
        }
        if (ins.length > 0) {
          text.insert(pos + at, ins)
          const added = []
          let cp = 0
          for (let i = 0; i < ins.length; i++, cp++) {
            const c = ins.charCodeAt(i)
            if (c >= 0xd800 && c <= 0xdbff && i + 1 < ins.length) {
              const d = ins.charCodeAt(i + 1)
              if (d >= 0xdc00 && d <= 0xdfff) { added.push(pos + cp); i++ }
            }
          }
          for (let i = at; i < astral.length; i++) astral[i] += cp
          astral.splice(at, 0, ...added)
        }
      }
    })
  }
  return text
}

const heapUsed = () => { globalThis.gc(); globalThis.gc(); return process.memoryUsage().heapUsed }

// The doc's memory is the heap growth from just before the doc is created to just after the
// replay, both after a full GC. (Measuring the drop when the doc is released instead proved
// unreliable in V8: a dropped doc sometimes stays reachable for a while after its function
// returned.)
const measureWithDoc = () => {
  const doc = new Y.Doc({ gc: true })
  doc.clientID = CLIENT_ID
  let t = performance.now()
  const text = replay(doc)
  const applyMs = performance.now() - t
  const final = text.toString()
  if (final !== trace.endContent) throw new Error(`${file}: yjs replay does not reach endContent`)
  const withDoc = heapUsed()

  t = performance.now()
  const update = Y.encodeStateAsUpdate(doc)
  const encodeMs = performance.now() - t
  const updateBytes = update.length
  const updateSha256 = createHash('sha256').update(update).digest('hex')

  const loaded = new Y.Doc({ gc: true })
  t = performance.now()
  Y.applyUpdate(loaded, update)
  const loadMs = performance.now() - t
  if (loaded.getText('text').toString() !== trace.endContent) throw new Error(`${file}: yjs load does not reach endContent`)

  return { applyMs, encodeMs, loadMs, updateBytes, withDoc, final, updateSha256 }
}

// Yielding to the event loop first lets pending promise jobs of earlier docs run, so nothing
// of the previous run is still reachable when the baseline is taken.
const settle = () => new Promise(resolve => setImmediate(resolve))

const measure = async () => {
  for (let i = 0; i < 3; i++) { await settle(); heapUsed() }
  const before = heapUsed()
  const { withDoc, ...result } = measureWithDoc()
  return { ...result, heapBytes: withDoc - before }
}

const warmup = await measure()
const measured = []
for (let i = 0; i < runs; i++) {
  const { final, updateSha256, ...numbers } = await measure()
  measured.push(numbers)
}
console.log(JSON.stringify({
  trace: basename(file),
  yjs: '13.6.33',
  node: process.version,
  len: warmup.final.length,
  sha256: createHash('sha256').update(warmup.final, 'utf8').digest('hex'),
  updateSha256: warmup.updateSha256,
  warmup: { applyMs: warmup.applyMs, encodeMs: warmup.encodeMs, loadMs: warmup.loadMs },
  runs: measured
}))
