// Differential data for the "core" tests of P2PSync.Crdt: three yjs replicas make random edits
// and exchange their updates late, duplicated and out of order. Prints, per replica, every update
// it applied (in order) and its final state, so the C# test can replay exactly the same deliveries
// and compare bytes. Run: node tests/oracle/core-random.mjs SEED STEPS [v1|v2] [gc|nogc]
import * as Y from 'yjs'

const seed0 = Number(process.argv[2] ?? 1)
const steps = Number(process.argv[3] ?? 150)
const v2 = process.argv[4] === 'v2'
const gc = process.argv[5] !== 'nogc'
let seed = seed0
const rnd = n => { seed = (seed * 48271) % 2147483647; return seed % n }
const hex = u => Buffer.from(u).toString('hex')

const docs = [1, 2, 3].map(c => { const d = new Y.Doc({ gc }); d.clientID = c; return d })
const applied = docs.map(() => [])
const inbox = docs.map(() => [])
docs.forEach((d, i) => d.on(v2 ? 'updateV2' : 'update', (u, origin) => {
  if (origin === 'remote') return
  applied[i].push(hex(u))
  docs.forEach((_, j) => { if (j !== i) inbox[j].push(u) })
}))
const deliver = (j, k) => {
  const u = inbox[j].splice(k, 1)[0]
  if (rnd(5) === 0) inbox[j].push(u) // duplicate later
  applied[j].push(hex(u))
  if (v2) Y.applyUpdateV2(docs[j], u, 'remote')
  else Y.applyUpdate(docs[j], u, 'remote')
}

for (let s = 0; s < steps; s++) {
  const i = rnd(3)
  const d = docs[i]
  const text = d.getText('t')
  const arr = d.getArray('a')
  const map = d.getMap('m')
  switch (rnd(9)) {
    case 0: case 1: text.insert(rnd(text.length + 1), 'abcdefgh'.slice(rnd(4), 4 + rnd(4))); break
    case 2: if (text.length > 0) { const p = rnd(text.length); text.delete(p, 1 + rnd(Math.min(3, text.length - p))) } break
    case 3: if (text.length > 1) { const p = rnd(text.length - 1); text.format(p, 1 + rnd(text.length - p - 1), { b: rnd(2) === 0 ? true : null }) } break
    case 4: map.set('k' + rnd(4), rnd(2) === 0 ? s : 'v' + s); break
    case 5: arr.insert(rnd(arr.length + 1), [s, 'x' + s]); break
    case 6: if (arr.length > 0) arr.delete(rnd(arr.length), 1); break
    case 7: { const m = new Y.Map(); arr.insert(rnd(arr.length + 1), [m]); m.set('n', s); break }
    default: d.transact(() => { text.insert(0, 'T'); map.delete('k' + rnd(4)); if (arr.length > 0) arr.delete(0, 1) })
  }
  // deliver a few random messages, in random order
  for (let j = 0; j < 3; j++) {
    while (inbox[j].length > 0 && rnd(3) === 0) deliver(j, rnd(inbox[j].length))
  }
}
for (let j = 0; j < 3; j++) while (inbox[j].length > 0) deliver(j, rnd(inbox[j].length))

console.log(JSON.stringify({
  seed: seed0,
  v2,
  gc,
  applied,
  states: docs.map(d => hex(Y.encodeStateAsUpdate(d))),
  statesV2: docs.map(d => hex(Y.encodeStateAsUpdateV2(d))),
  text: docs.map(d => d.getText('t').toString())
}))
