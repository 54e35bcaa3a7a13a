// Prints golden values for relative positions and snapshots, computed by the real yjs.
// Run: node tests/oracle/positions-golden.mjs
// The C# test P2PSync.Crdt.Tests/Positions/PositionsGoldenTests.cs replays the same
// edits with the same client ids and embeds this output; rerun and re-embed if the
// scenario below changes.
import * as Y from 'yjs'

const hex = bytes => Buffer.from(bytes).toString('hex')

const newDoc = clientID => {
  const doc = new Y.Doc({ gc: false })
  doc.clientID = clientID
  return doc
}

const sync = (from, to) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)))

// Scenario. Client ids: 1, 2 and one above 2^32 to cover long varints.
const a = newDoc(1)
const b = newDoc(2)
const c = newDoc(0x1234567890)

a.getText('text').insert(0, 'hello world')
sync(a, b)
// concurrent edits
b.getText('text').insert(5, ',')
a.getText('text').delete(0, 1)
sync(a, b)
sync(b, a)

const snap1 = Y.snapshot(a)
const text1 = a.getText('text').toString()

sync(a, c)
c.getText('text').insert(0, 'H')
const nested = new Y.Text()
c.getMap('m').set('nested', nested)
nested.insert(0, 'abc')
sync(c, a)
a.getText('text').delete(6, 3)

const snap2 = Y.snapshot(a)
const text2 = a.getText('text').toString()

const out = {}
out.text1 = text1
out.text2 = text2
out.snap1V1 = hex(Y.encodeSnapshot(snap1))
out.snap1V2 = hex(Y.encodeSnapshotV2(snap1))
out.snap2V1 = hex(Y.encodeSnapshot(snap2))
out.snap2V2 = hex(Y.encodeSnapshotV2(snap2))
out.emptySnapV1 = hex(Y.encodeSnapshot(Y.emptySnapshot))
out.emptySnapV2 = hex(Y.encodeSnapshotV2(Y.emptySnapshot))

const restored1 = Y.createDocFromSnapshot(a, snap1)
out.restored1Text = restored1.getText('text').toString()
out.restored1Update = hex(Y.encodeStateAsUpdate(restored1))
const restored2 = Y.createDocFromSnapshot(a, snap2)
out.restored2Text = restored2.getText('text').toString()
out.restored2Nested = restored2.getMap('m').get('nested').toString()
out.restored2Update = hex(Y.encodeStateAsUpdate(restored2))
out.finalUpdate = hex(Y.encodeStateAsUpdate(a))

const text = a.getText('text')
const nestedA = a.getMap('m').get('nested')
const positions = []
const addPos = (label, type, index, assoc) => {
  const rpos = Y.createRelativePositionFromTypeIndex(type, index, assoc)
  const abs = Y.createAbsolutePositionFromRelativePosition(rpos, a)
  positions.push({
    label,
    index,
    assoc,
    hex: hex(Y.encodeRelativePosition(rpos)),
    json: JSON.stringify(Y.relativePositionToJSON(rpos)),
    abs: abs.index
  })
}
for (const assoc of [0, -1]) {
  for (const index of [0, 1, 4, text.length - 1, text.length]) {
    addPos('text', text, index, assoc)
  }
  for (const index of [0, 2, 3]) {
    addPos('nested', nestedA, index, assoc)
  }
}
out.positions = positions

// Snapshot containment: snap1 does not contain the update from c, snap2 does.
const updC = Y.encodeStateAsUpdate(c)
out.snap1ContainsC = Y.snapshotContainsUpdate(snap1, updC)
out.snap2ContainsC = Y.snapshotContainsUpdate(snap2, updC)

console.log(JSON.stringify(out, null, 2))
