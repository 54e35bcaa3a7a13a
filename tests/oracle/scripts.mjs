// Runs an op script: several documents with fixed client ids, local transactions,
// and deliveries of the updates those transactions produced. The C# runner
// (Interop.Tests/Scripts/ScriptRunner.cs) executes the same script on our CRDT;
// the test compares what both return. Format and result are described in README.md.

import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { applyOp } from './ops.mjs'
import { toB64, deepDoc, jsonText, getRoot } from './values.mjs'

/** Encodes a state vector given as {"client": clock}; yjs only looks clients up, so order is irrelevant. */
const encodeSvJson = (obj) => {
  const enc = encoding.createEncoder()
  const keys = Object.keys(obj)
  encoding.writeVarUint(enc, keys.length)
  for (const k of keys) {
    encoding.writeVarUint(enc, Number(k))
    encoding.writeVarUint(enc, obj[k])
  }
  return encoding.toUint8Array(enc)
}

const summarizeDoc = (doc, roots) => ({
  sv: toB64(Y.encodeStateVector(doc)),
  json: jsonText(doc, roots),
  deep: deepDoc(doc, roots),
  v1: toB64(Y.encodeStateAsUpdate(doc)),
  v2: toB64(Y.encodeStateAsUpdateV2(doc))
})

const pickUpdates = (txUpdates, stepIds, v2) => {
  const out = []
  for (const id of stepIds) {
    const u = txUpdates.get(id)
    if (u === undefined) throw new Error(`step ${id} is not a transaction step`)
    const bytes = v2 ? u.v2 : u.v1
    if (bytes !== null) out.push(bytes)
  }
  return out
}

const runApply = (docs, txUpdates, step) => {
  const target = docs[step.apply]
  const v2 = step.v2 === true
  let updates = pickUpdates(txUpdates, step.updates, v2)
  if (updates.length === 0) return
  if (step.merge === true) updates = [v2 ? Y.mergeUpdatesV2(updates) : Y.mergeUpdates(updates)]
  for (let u of updates) {
    if (step.diff === true) {
      const sv = Y.encodeStateVector(target)
      u = v2 ? Y.diffUpdateV2(u, sv) : Y.diffUpdate(u, sv)
    }
    if (step.convert === true) {
      // the update was produced in the other format and converted on the way
      const other = v2 ? Y.convertUpdateFormatV2ToV1(u) : Y.convertUpdateFormatV1ToV2(u)
      u = v2 ? Y.convertUpdateFormatV1ToV2(other) : Y.convertUpdateFormatV2ToV1(other)
    }
    if (v2) Y.applyUpdateV2(target, u, 'remote')
    else Y.applyUpdate(target, u, 'remote')
  }
}

const runSync = (docs, step) => {
  const from = docs[step.from]
  const to = docs[step.sync]
  const sv = Y.encodeStateVector(to)
  if (step.v2 === true) Y.applyUpdateV2(to, Y.encodeStateAsUpdateV2(from, sv), 'sync')
  else Y.applyUpdate(to, Y.encodeStateAsUpdate(from, sv), 'sync')
}

/**
 * Executes a script and returns, per document, its state vector, full-state
 * encodings, JSON and deep view; per transaction step the v1/v2 update it
 * emitted; for each requested target state vector the diff encodings; and with
 * script.trace a summary of the touched document after every step.
 */
export const runScript = (script) => {
  const roots = script.roots ?? {}
  const docs = script.docs.map(d => {
    const doc = new Y.Doc({ gc: d.gc !== false })
    doc.clientID = d.clientId
    for (const name of Object.keys(roots)) getRoot(doc, name, roots[name])
    return doc
  })
  const txUpdates = new Map()
  const txOut = []
  const trace = []
  let error = null
  for (let i = 0; i < script.steps.length && error === null; i++) {
    const step = script.steps[i]
    try {
      if (step.tx !== undefined) {
        const doc = docs[step.tx]
        const captured = { v1: null, v2: null }
        const onV1 = (u) => { captured.v1 = u }
        const onV2 = (u) => { captured.v2 = u }
        doc.on('update', onV1)
        doc.on('updateV2', onV2)
        try {
          doc.transact(() => {
            for (const op of step.ops) applyOp(doc, roots, op)
          }, 'local')
        } finally {
          doc.off('update', onV1)
          doc.off('updateV2', onV2)
        }
        txUpdates.set(i, captured)
        txOut.push({ step: i, v1: captured.v1 && toB64(captured.v1), v2: captured.v2 && toB64(captured.v2) })
      } else if (step.apply !== undefined) {
        runApply(docs, txUpdates, step)
      } else if (step.sync !== undefined) {
        runSync(docs, step)
      } else {
        throw new Error(`unknown step ${JSON.stringify(step)}`)
      }
    } catch (e) {
      error = { step: i, message: String(e && e.stack ? e.stack : e) }
      break
    }
    if (script.trace === true) {
      const d = step.tx ?? step.apply ?? step.sync
      trace.push({ step: i, doc: d, ...summarizeDoc(docs[d], roots) })
    }
  }
  const targets = (script.targets ?? []).map(t => {
    const sv = t.sv !== undefined ? encodeSvJson(t.sv) : Y.encodeStateVector(docs[t.svOf])
    const doc = docs[t.doc]
    return { v1: toB64(Y.encodeStateAsUpdate(doc, sv)), v2: toB64(Y.encodeStateAsUpdateV2(doc, sv)) }
  })
  return {
    error,
    docs: docs.map(d => summarizeDoc(d, roots)),
    updates: txOut,
    targets,
    trace: script.trace === true ? trace : undefined
  }
}
