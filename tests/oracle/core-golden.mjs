// Prints golden bytes (hex) from the real yjs for the "core" tests of P2PSync.Crdt
// (tests/P2PSync.Crdt.Tests/Core/CoreGoldenData.cs). Run: node tests/oracle/core-golden.mjs
import * as Y from 'yjs'

const hex = u => Buffer.from(u).toString('hex')
const out = {}

const mkdoc = (client, opts = {}) => {
  const d = new Y.Doc(opts)
  d.clientID = client
  return d
}

// A: one client, text edits in separate transactions, delete
{
  const d = mkdoc(1)
  const updates = []
  const updatesV2 = []
  d.on('update', u => updates.push(hex(u)))
  d.on('updateV2', u => updatesV2.push(hex(u)))
  const t = d.getText('text')
  t.insert(0, 'hello')
  t.insert(5, ' world')
  t.delete(0, 1)
  d.transact(() => { t.insert(0, 'H'); t.delete(5, 1) })
  out.textUpdates = updates
  out.textUpdatesV2 = updatesV2
  out.textState = hex(Y.encodeStateAsUpdate(d))
  out.textStateV2 = hex(Y.encodeStateAsUpdateV2(d))
  out.textSv = hex(Y.encodeStateVector(d))
  out.textString = t.toString()
  // diff against a partial state vector
  out.textDiff = hex(Y.encodeStateAsUpdate(d, Y.encodeStateVector(new Map([[1, 5]]))))
}

// B: concurrent inserts of two clients at the same position
{
  const d1 = mkdoc(1)
  const d2 = mkdoc(2)
  d1.getText('t').insert(0, 'abc')
  d2.getText('t').insert(0, 'xyz')
  const u1 = Y.encodeStateAsUpdate(d1)
  const u2 = Y.encodeStateAsUpdate(d2)
  Y.applyUpdate(d1, u2)
  Y.applyUpdate(d2, u1)
  d2.getText('t').insert(3, '-')
  Y.applyUpdate(d1, Y.encodeStateAsUpdate(d2, Y.encodeStateVector(d1)))
  out.concurrentU1 = hex(u1)
  out.concurrentU2 = hex(u2)
  out.concurrentText = d1.getText('t').toString()
  out.concurrentState = hex(Y.encodeStateAsUpdate(d1))
  out.concurrentStateV2 = hex(Y.encodeStateAsUpdateV2(d1))
}

// C/D: maps, arrays, nested types, overwrites; gc on and off
for (const gc of [true, false]) {
  const d = mkdoc(5, { gc })
  const m = d.getMap('m')
  const a = d.getArray('a')
  m.set('a', 1)
  m.set('b', 'x')
  a.push([1, 2, 's'])
  const nested = new Y.Map()
  a.insert(1, [nested])
  nested.set('k', true)
  m.set('a', 2)
  a.delete(0, 1)
  d.transact(() => {
    const txt = new Y.Text()
    m.set('t', txt)
    txt.insert(0, 'nested text')
    txt.delete(2, 3)
  })
  const key = gc ? 'gcOn' : 'gcOff'
  out[key + 'State'] = hex(Y.encodeStateAsUpdate(d))
  out[key + 'StateV2'] = hex(Y.encodeStateAsUpdateV2(d))
  out[key + 'Json'] = JSON.stringify({ m: m.toJSON(), a: a.toJSON() })
}

// E: deleting a type with content: its children become GC structs (gc on) or stay (gc off)
for (const gc of [true, false]) {
  const d = mkdoc(7, { gc })
  const a = d.getArray('a')
  const child = new Y.Text()
  a.insert(0, ['before', child, 'after'])
  child.insert(0, 'child content')
  child.format(0, 5, { bold: true })
  a.delete(1, 1)
  out[(gc ? 'nestedGcOn' : 'nestedGcOff') + 'State'] = hex(Y.encodeStateAsUpdate(d))
  out[(gc ? 'nestedGcOn' : 'nestedGcOff') + 'StateV2'] = hex(Y.encodeStateAsUpdateV2(d))
}

// G: out-of-order delivery keeps pending structs and deletes
{
  const src = mkdoc(3)
  const ups = []
  src.on('update', u => ups.push(u))
  const t = src.getText('t')
  t.insert(0, 'one ')
  t.insert(4, 'two ')
  t.insert(8, 'three')
  t.delete(0, 2)
  const dst = mkdoc(4)
  Y.applyUpdate(dst, ups[2])
  Y.applyUpdate(dst, ups[3])
  out.pendingUpdates = ups.map(hex)
  out.pendingAfter23 = hex(Y.encodeStateAsUpdate(dst))
  out.pendingAfter23V2 = hex(Y.encodeStateAsUpdateV2(dst))
  out.pendingAfter23Text = dst.getText('t').toString()
  Y.applyUpdate(dst, ups[0])
  out.pendingAfter023 = hex(Y.encodeStateAsUpdate(dst))
  out.pendingAfter023Text = dst.getText('t').toString()
  Y.applyUpdate(dst, ups[1])
  out.pendingAll = hex(Y.encodeStateAsUpdate(dst))
  out.pendingAllText = dst.getText('t').toString()
}

// H: delete set encodings of a doc with many separate deletions (v1 and v2 ds encoders)
{
  const d = mkdoc(9, { gc: false })
  const t = d.getText('t')
  t.insert(0, 'abcdefghijklmnopqrstuvwxyz')
  t.delete(20, 2)
  t.delete(10, 3)
  t.delete(1, 1)
  const d2 = mkdoc(8)
  d2.getText('t').insert(0, 'XY')
  Y.applyUpdate(d, Y.encodeStateAsUpdate(d2))
  t.delete(0, 1)
  out.dsState = hex(Y.encodeStateAsUpdate(d))
  out.dsStateV2 = hex(Y.encodeStateAsUpdateV2(d))
  out.dsText = t.toString()
}

// I: delete sets written by the v1 and v2 delete-set encoders (via snapshots with an empty state vector)
{
  const item = (clock, len) => ({ clock, len })
  const ds1 = Y.createDeleteSet()
  ds1.clients.set(5, [item(10, 3), item(0, 2), item(2, 1), item(20, 4)])
  ds1.clients.set(300, [item(7, 1)])
  const ds2 = Y.createDeleteSet()
  ds2.clients.set(5, [item(12, 5), item(30, 1)])
  ds2.clients.set(1, [item(0, 1)])
  const merged = Y.mergeDeleteSets([ds1, ds2])
  out.dsMergedV1 = hex(Y.encodeSnapshot(Y.createSnapshot(merged, new Map())))
  out.dsMergedV2 = hex(Y.encodeSnapshotV2(Y.createSnapshot(merged, new Map())))
  out.dsMergedJson = JSON.stringify(Array.from(merged.clients.entries()))
}

console.log(JSON.stringify(out, null, 1))
