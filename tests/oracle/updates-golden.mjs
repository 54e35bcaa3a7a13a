// Prints golden inputs and outputs of yjs's doc-less update utilities (utils/updates.js) for
// the C# tests of P2PSync.Crdt.Updates.
// Run: node tests/oracle/updates-golden.mjs
// The output lines are C# dictionary entries; paste them into
// tests/P2PSync.Crdt.Tests/Updates/UpdatesGoldenData.cs. Entries:
//   "in:<name>"                      an input update (v1 or v2, see the name) or state vector
//   "<op>:<case>:inputs"             comma-separated input names for that case
//   "<op>:<case>"                    yjs's output bytes
// ops: merge, mergeV2, diff, diffV2, sv, svV2, meta, metaV2 (output is text "from|to",
// each "client:clock;..."), v1to2, v2to1, v1to2to1, v2to1to2. The C# test iterates all cases, so adding a case
// here only needs a re-paste.
import * as Y from 'yjs'
import * as prng from 'lib0/prng'

const hex = bytes => Buffer.from(bytes).toString('hex')
const out = []
const emit = (name, value) => out.push(`        ["${name}"] = "${value}",`)
const inputs = new Map()
const input = (name, bytes) => {
  if (!inputs.has(name)) {
    inputs.set(name, bytes)
    emit(`in:${name}`, hex(bytes))
  }
  return name
}

const newDoc = (clientID, gc = true) => {
  const doc = new Y.Doc({ gc })
  doc.clientID = clientID
  return doc
}

// Records every update (v1 and v2) a doc emits, in order.
const record = doc => {
  const v1 = []
  const v2 = []
  doc.on('update', u => v1.push(u))
  doc.on('updateV2', u => v2.push(u))
  return { v1, v2 }
}

// --- Scenario A: one client, many content kinds, several transactions.
const a = newDoc(1)
const aRec = record(a)
a.getText('text').insert(0, 'hello world')
a.getText('text').format(0, 5, { bold: true })
a.getText('text').insertEmbed(5, { image: 'x.png' })
a.getArray('array').push([1, 2.5, 'str', null, true, { k: [1, 2] }, new Uint8Array([1, 2, 3])])
a.getArray('array').push([new Y.Map(), new Y.Array()])
a.getMap('map').set('key', 'value')
a.getMap('map').set('key', 'overwritten')
a.getMap('map').set('big', 2 ** 40)
const frag = a.getXmlFragment('xml')
const el = new Y.XmlElement('p')
frag.insert(0, [el])
el.setAttribute('class', 'c')
el.insert(0, [new Y.XmlText('inner')])
a.getArray('array').insert(0, [new Y.Doc({ guid: 'sub-guid', meta: { m: 1 } })])
a.getText('text').delete(2, 4)
a.getArray('array').delete(1, 2)
a.getText('text').insert(3, 'a😀b')

// --- Scenario B: a second client editing concurrently, with a large client id.
const b = newDoc(0x1234567890)
const bRec = record(b)
Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
b.getText('text').insert(1, 'B-edit')
b.getMap('map').set('fromB', { nested: true })
b.getText('text').delete(0, 1)

// --- Scenario C: a non-gc doc of a third client, then the same doc's deletes
const c = newDoc(3, false)
const cRec = record(c)
c.getText('t').insert(0, 'abcdef')
c.getText('t').insert(6, 'ghi')
c.getText('t').delete(1, 3)
c.getArray('a').push(['x', 'y', 'z'])
c.getArray('a').delete(0, 2)

// A gc'd copy of c: deleted content becomes GC / ContentDeleted there.
const cgc = newDoc(4, true)
Y.applyUpdate(cgc, Y.encodeStateAsUpdate(c))

const v1Names = (prefix, list) => list.map((u, i) => input(`${prefix}.v1.${i}`, u))
const v2Names = (prefix, list) => list.map((u, i) => input(`${prefix}.v2.${i}`, u))

const aV1 = v1Names('a', aRec.v1)
const aV2 = v2Names('a', aRec.v2)
const bV1 = v1Names('b', bRec.v1)
const bV2 = v2Names('b', bRec.v2)
const cV1 = v1Names('c', cRec.v1)
const cV2 = v2Names('c', cRec.v2)
const aFull = input('a.full.v1', Y.encodeStateAsUpdate(a))
const aFullV2 = input('a.full.v2', Y.encodeStateAsUpdateV2(a))
const bFull = input('b.full.v1', Y.encodeStateAsUpdate(b))
const bFullV2 = input('b.full.v2', Y.encodeStateAsUpdateV2(b))
const cFull = input('c.full.v1', Y.encodeStateAsUpdate(c))
const cFullV2 = input('c.full.v2', Y.encodeStateAsUpdateV2(c))
const cgcFull = input('cgc.full.v1', Y.encodeStateAsUpdate(cgc))
const cgcFullV2 = input('cgc.full.v2', Y.encodeStateAsUpdateV2(cgc))

const caseNames = new Set()
const run = (op, caseName, names, f) => {
  const key = `${op}:${caseName}`
  if (caseNames.has(key)) throw new Error(`duplicate case ${key}`)
  caseNames.add(key)
  emit(`${key}:inputs`, names.join(','))
  emit(key, f(names.map(n => inputs.get(n))))
}
const mapText = m => Array.from(m.entries()).map(([k, v]) => `${k}:${v}`).join(';')

const mergeCases = {
  aAll: [aV1, aV2],
  aReversed: [aV1.slice().reverse(), aV2.slice().reverse()],
  aGap: [aV1.filter((_, i) => i !== 3), aV2.filter((_, i) => i !== 3)],
  aGapEarly: [aV1.filter((_, i) => i !== 0 && i !== 5), aV2.filter((_, i) => i !== 0 && i !== 5)],
  aOverlap: [[aFull, ...aV1.slice(2)], [aFullV2, ...aV2.slice(2)]],
  ab: [[...aV1, ...bV1], [...aV2, ...bV2]],
  abFull: [[bFull, aFull], [bFullV2, aFullV2]],
  bOnly: [bV1, bV2],
  cAll: [cV1, cV2],
  cWithGcCopy: [[cFull, cgcFull], [cFullV2, cgcFullV2]],
  cGcCopyFirst: [[cgcFull, cFull], [cgcFullV2, cFullV2]],
  everything: [[...aV1, ...bV1, ...cV1, cgcFull], [...aV2, ...bV2, ...cV2, cgcFullV2]],
  single: [[aV1[0]], [aV2[0]]],
  empty: [[], []]
}
for (const [name, [v1, v2]] of Object.entries(mergeCases)) {
  run('merge', name, v1, us => hex(Y.mergeUpdates(us)))
  run('mergeV2', name, v2, us => hex(Y.mergeUpdatesV2(us)))
}

// State vectors to diff against: empty, partial (inside the emoji), full, foreign.
const svEmpty = input('sv.empty', Y.encodeStateVector(new Y.Doc()))
const svA = input('sv.a', Y.encodeStateVector(a))
const svB = input('sv.b', Y.encodeStateVector(b))
const partial = new Map([[1, 3], [0x1234567890, 2]])
const svPartial = input('sv.partial', Y.encodeStateVector(partial))
// Clock of the high surrogate of the emoji inserted by a: split the pair on the diff.
const textLenBefore = (() => {
  const d = newDoc(99)
  aRec.v1.slice(0, -1).forEach(u => Y.applyUpdate(d, u))
  return Y.encodeStateVector(d)
})()
const emojiSv = Y.decodeStateVector(textLenBefore)
emojiSv.set(1, emojiSv.get(1) + 2) // after 'a' and the high surrogate
const svEmoji = input('sv.emoji', Y.encodeStateVector(emojiSv))
const svC = input('sv.c3', Y.encodeStateVector(new Map([[3, 4]])))

const diffCases = {
  aEmpty: [aFull, aFullV2, svEmpty],
  aSelf: [aFull, aFullV2, svA],
  bAgainstA: [bFull, bFullV2, svA],
  bPartial: [bFull, bFullV2, svPartial],
  aEmojiSplit: [aFull, aFullV2, svEmoji],
  cMiddle: [cFull, cFullV2, svC],
  cgcMiddle: [cgcFull, cgcFullV2, svC],
  lastAUpdate: [aV1[aV1.length - 1], aV2[aV2.length - 1], svB]
}
for (const [name, [u1, u2, sv]] of Object.entries(diffCases)) {
  run('diff', name, [u1, sv], ([u, s]) => hex(Y.diffUpdate(u, s)))
  run('diffV2', name, [u2, sv], ([u, s]) => hex(Y.diffUpdateV2(u, s)))
}

// Merged updates contain Skips, which state vector / meta / convert must handle too.
const bytesOf = names => names.map(n => inputs.get(n))
const mergedGap = input('merged.gap.v1', Y.mergeUpdates(bytesOf(aV1.filter((_, i) => i !== 3))))
const mergedGapV2 = input('merged.gap.v2', Y.mergeUpdatesV2(bytesOf(aV2.filter((_, i) => i !== 3))))
const laterOnly = input('a.later.v1', Y.mergeUpdates(bytesOf(aV1.slice(4))))
const laterOnlyV2 = input('a.later.v2', Y.mergeUpdatesV2(bytesOf(aV2.slice(4))))
const singles = [
  ['aFull', aFull, aFullV2],
  ['bFull', bFull, bFullV2],
  ['cFull', cFull, cFullV2],
  ['cgcFull', cgcFull, cgcFullV2],
  ['mergedGap', mergedGap, mergedGapV2],
  ['laterOnly', laterOnly, laterOnlyV2],
  ['bFirst', bV1[0], bV2[0]],
  ['cLast', cV1[cV1.length - 1], cV2[cV2.length - 1]]
]
for (const [name, u1, u2] of singles) {
  run('sv', name, [u1], ([u]) => hex(Y.encodeStateVectorFromUpdate(u)))
  run('svV2', name, [u2], ([u]) => hex(Y.encodeStateVectorFromUpdateV2(u)))
  run('meta', name, [u1], ([u]) => { const m = Y.parseUpdateMeta(u); return `${mapText(m.from)}|${mapText(m.to)}` })
  run('metaV2', name, [u2], ([u]) => { const m = Y.parseUpdateMetaV2(u); return `${mapText(m.from)}|${mapText(m.to)}` })
  run('v1to2', name, [u1], ([u]) => hex(Y.convertUpdateFormatV1ToV2(u)))
  run('v2to1', name, [u2], ([u]) => hex(Y.convertUpdateFormatV2ToV1(u)))
}

// Round trips through the other format for every update input (not idempotent in general:
// e.g. parentSub of an item with an origin is not carried over).
for (const [name, bytes] of inputs) {
  if (name.startsWith('sv.')) continue
  if (name.includes('.v1')) {
    run('v1to2to1', name, [name], ([u]) => hex(Y.convertUpdateFormatV2ToV1(Y.convertUpdateFormatV1ToV2(u))))
  } else {
    run('v2to1to2', name, [name], ([u]) => hex(Y.convertUpdateFormatV1ToV2(Y.convertUpdateFormatV2ToV1(u))))
  }
}

// V8's Array.prototype.sort with the comparator mergeUpdates uses to order its readers, which
// is inconsistent for a GC and an Item at the same clock. Elements are "kind client clock"
// (G, I or S); the output is the sorted order of element indexes. Arrays of 64 or more use
// only GCs, where the comparator is consistent.
{
  const gen = prng.create(42)
  const compare = (a, b) => {
    if (a.client === b.client) {
      const clockDiff = a.clock - b.clock
      if (clockDiff === 0) {
        return a.kind === b.kind ? 0 : a.kind === 'S' ? 1 : -1
      }
      return clockDiff
    }
    return b.client - a.client
  }
  for (let n = 0; n < 60; n++) {
    const length = n < 50 ? prng.int32(gen, 2, 20) : prng.int32(gen, 60, 90)
    const elements = []
    for (let i = 0; i < length; i++) {
      const kind = length >= 64 ? 'G' : ['G', 'I', 'S'][prng.int32(gen, 0, 2)]
      elements.push({ i, kind, client: prng.int32(gen, 1, 3), clock: prng.int32(gen, 0, 3) })
    }
    const sorted = elements.slice().sort(compare)
    emit(`jssort:${n}:input`, elements.map(e => `${e.kind} ${e.client} ${e.clock}`).join(','))
    emit(`jssort:${n}`, sorted.map(e => e.i).join(','))
  }
}

console.log(out.join('\n'))
