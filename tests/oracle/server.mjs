// Long-lived oracle process: reads one JSON request per line on stdin and writes
// one JSON response per line on stdout, in order. The C# fixture
// (Interop.Tests/Oracle/YjsOracle.cs) starts one of these per test run so that
// thousands of checks do not each pay node's start-up. Protocol: README.md.

import * as Y from 'yjs'
import { createInterface } from 'node:readline'
import { readFileSync } from 'node:fs'
import { runScript } from './scripts.mjs'
import { toB64, fromB64, deepDoc, jsonText, getRoot } from './values.mjs'

const yjsVersion = JSON.parse(readFileSync(new URL('./node_modules/yjs/package.json', import.meta.url), 'utf8')).version

const freshDoc = (req) => {
  const doc = new Y.Doc({ gc: req.gc !== false })
  if (req.clientId !== undefined) doc.clientID = req.clientId
  const roots = req.roots ?? {}
  for (const name of Object.keys(roots)) getRoot(doc, name, roots[name])
  return doc
}

/** Applies updates (each in its own call) to a fresh document and describes the result. */
const applyUpdates = (req) => {
  const doc = freshDoc(req)
  const roots = req.roots ?? {}
  for (const u of req.updates) {
    if (req.v2 === true) Y.applyUpdateV2(doc, fromB64(u))
    else Y.applyUpdate(doc, fromB64(u))
  }
  const sv = req.targetSv !== undefined ? fromB64(req.targetSv) : undefined
  return {
    sv: toB64(Y.encodeStateVector(doc)),
    v1: toB64(Y.encodeStateAsUpdate(doc, sv)),
    v2: toB64(Y.encodeStateAsUpdateV2(doc, sv)),
    json: jsonText(doc, roots),
    deep: deepDoc(doc, roots)
  }
}

const bytesList = (req) => req.updates.map(fromB64)

const handlers = {
  ping: () => ({ yjs: yjsVersion, node: process.version }),
  runScript: (req) => runScript(req.script),
  runScripts: (req) => req.scripts.map(runScript),
  applyUpdates,
  mergeUpdates: (req) => toB64(req.v2 === true ? Y.mergeUpdatesV2(bytesList(req)) : Y.mergeUpdates(bytesList(req))),
  diffUpdate: (req) => toB64(req.v2 === true
    ? Y.diffUpdateV2(fromB64(req.update), fromB64(req.sv))
    : Y.diffUpdate(fromB64(req.update), fromB64(req.sv))),
  convert: (req) => toB64(req.to === 'v2'
    ? Y.convertUpdateFormatV1ToV2(fromB64(req.update))
    : Y.convertUpdateFormatV2ToV1(fromB64(req.update))),
  svFromUpdate: (req) => toB64(req.v2 === true
    ? Y.encodeStateVectorFromUpdateV2(fromB64(req.update))
    : Y.encodeStateVectorFromUpdate(fromB64(req.update)))
}

const respond = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
rl.on('line', (line) => {
  if (line.trim() === '') return
  let req
  try {
    req = JSON.parse(line)
  } catch (e) {
    respond({ id: null, ok: false, error: `bad request line: ${e.message}` })
    return
  }
  const handler = handlers[req.cmd]
  if (handler === undefined) {
    respond({ id: req.id, ok: false, error: `unknown cmd ${req.cmd}` })
    return
  }
  try {
    respond({ id: req.id, ok: true, result: handler(req) })
  } catch (e) {
    respond({ id: req.id, ok: false, error: String(e && e.stack ? e.stack : e) })
  }
})
rl.on('close', () => process.exit(0))
