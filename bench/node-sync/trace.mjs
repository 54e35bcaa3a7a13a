// Replays an editing trace (bench/traces/*.json.gz) into a Yjs doc with npm's yjs, the same way
// for every bench script, so "the automerge-paper document" is the same bytes everywhere.

import * as Y from '../../tests/oracle/node_modules/yjs/dist/yjs.mjs'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'

// automerge-paper positions count code points; the trace is ASCII-only apart from a few BMP
// characters, so JS string indices are the same. Refuse a trace with astral characters rather
// than replay it wrongly.
export const replayTrace = (file) => {
  const trace = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'))
  if (trace.txns.some((t) => t.patches.some((p) => /[\uD800-\uDBFF]/.test(p[2])))) {
    throw new Error(`${file} inserts astral characters; this replay only handles BMP text`)
  }
  const doc = new Y.Doc()
  doc.clientID = 1 // fixed, so the update has the same size in every run (client ids are varints)
  const text = doc.getText('text')
  if (trace.startContent) text.insert(0, trace.startContent)
  for (const txn of trace.txns) {
    doc.transact(() => {
      for (const [pos, del, ins] of txn.patches) {
        if (del > 0) text.delete(pos, del)
        if (ins.length > 0) text.insert(pos, ins)
      }
    })
  }
  const content = text.toString()
  if (trace.endContent !== undefined && content !== trace.endContent) {
    throw new Error('replayed text differs from the trace endContent')
  }
  return { update: Y.encodeStateAsUpdate(doc), content }
}

