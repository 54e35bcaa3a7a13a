// Writes the golden updates used by P2PSync.Interop.Tests (GoldenFileTests):
// for every case NAME, Golden/NAME.v1.bin and Golden/NAME.v2.bin (the same
// content in update format v1 and v2) and Golden/NAME.json (what yjs sees when it
// applies the update to a fresh document: toJSON of the named roots as exact
// JSON.stringify text, the deep view of values.mjs, and the state vector).
// Together the cases cover every struct kind (Item, GC, Skip) and every content
// kind (Deleted, JSON, Binary, String, Embed, Format, Type for every type, Any
// for every lib0 any kind, Doc), plus map overwrites, deletions and formatting.
//
// Run: node tests/oracle/make-golden.mjs   (output is deterministic; commit it)

import * as Y from 'yjs'
import { mkdirSync, writeFileSync, readdirSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { deepDoc, jsonText, getRoot, toB64 } from './values.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const outDir = join(here, '..', 'P2PSync.Interop.Tests', 'Golden')

const newDoc = (clientID, gc = true) => {
  const doc = new Y.Doc({ gc })
  doc.clientID = clientID
  return doc
}

const sync = (from, to) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)))

/** Collects the v1 and v2 updates a document emits, one per transaction. */
const recordUpdates = (doc) => {
  const log = { v1: [], v2: [] }
  doc.on('update', u => log.v1.push(u))
  doc.on('updateV2', u => log.v2.push(u))
  return log
}

const cases = []

/**
 * Registers a golden case. v1 and v2 must describe the same content; the expected
 * values are computed by applying v1 to a fresh document, and v2 is checked to
 * give the same result so a broken case cannot be committed.
 */
const golden = (name, description, roots, v1, v2) => {
  const describe = (update, isV2) => {
    const doc = newDoc(999999)
    for (const r of Object.keys(roots)) getRoot(doc, r, roots[r])
    if (isV2) Y.applyUpdateV2(doc, update)
    else Y.applyUpdate(doc, update)
    return { jsonText: jsonText(doc, roots), deep: deepDoc(doc, roots), sv: toB64(Y.encodeStateVector(doc)) }
  }
  const fromV1 = describe(v1, false)
  const fromV2 = describe(v2, true)
  if (JSON.stringify(fromV1) !== JSON.stringify(fromV2)) {
    throw new Error(`golden ${name}: v1 and v2 updates disagree`)
  }
  cases.push({ name, description, roots, v1, v2, expected: fromV1 })
}

/** Registers the full state of a document. */
const goldenDoc = (name, description, roots, doc) =>
  golden(name, description, roots, Y.encodeStateAsUpdate(doc), Y.encodeStateAsUpdateV2(doc))

// ---------------------------------------------------------------- text

{
  const a = newDoc(1)
  const b = newDoc(2)
  a.getText('text').insert(0, 'hello world')
  sync(a, b)
  a.getText('text').insert(5, ' there')
  b.getText('text').insert(11, '!')
  b.getText('text').delete(0, 1) // deletes the first char, splitting a's item
  sync(a, b)
  sync(b, a)
  a.getText('text').delete(3, 4) // spans items of both clients
  goldenDoc('text-basic', 'ContentString from two clients, concurrent inserts, deletes that split items (gc on: deleted text becomes ContentDeleted)', { text: 'text' }, a)
}

{
  const a = newDoc(7, false)
  const t = a.getText('text')
  t.insert(0, 'héllo wörld – 中文 – Ελληνικά')
  t.insert(6, '😀🎉𝄞') // astral characters: two UTF-16 units each
  t.insert(0, '\u0000\u007f\u0080\u07ff\u0800\uffff')
  t.delete(2, 3)
  goldenDoc('text-unicode', 'ContentString with non-ASCII, astral and boundary code points; gc off so deleted text keeps its content', { text: 'text' }, a)
}

{
  const a = newDoc(8, false)
  const t = a.getText('text')
  t.insert(0, 'a😀b𝄞c')
  t.delete(2, 1) // the low half of 😀: the split replaces both halves with U+FFFD
  t.insert(4, 'x') // between the halves of 𝄞
  goldenDoc('text-surrogate-split', 'Items split between the two halves of a surrogate pair (yjs writes U+FFFD for both halves)', { text: 'text' }, a)
}

{
  const a = newDoc(3)
  const b = newDoc(4)
  const t = a.getText('rich')
  t.insert(0, 'Hello bold and italic world')
  t.format(6, 4, { bold: true })
  t.format(15, 6, { italic: true, color: '#ff0000' })
  t.insert(0, 'Title\n', { header: 1 })
  t.insertEmbed(6, { image: 'https://example.com/a.png', width: 100 })
  t.insertEmbed(7, { formula: 'e=mc^2' }, { bold: true })
  sync(a, b)
  b.getText('rich').format(8, 10, { bold: null, underline: true }) // removes bold concurrently
  a.getText('rich').format(0, 3, { link: { href: 'https://example.com', nested: [1, 2] } })
  sync(b, a)
  sync(a, b)
  const embeddedMap = new Y.Map()
  t.insertEmbed(2, embeddedMap) // a shared type inside text (ContentType in YText)
  embeddedMap.set('k', 'v')
  t.delete(20, 3)
  goldenDoc('text-format-embed', 'ContentFormat (set, overlapping, removal with null, object values), ContentEmbed, ContentType inside text', { rich: 'text' }, a)
}

{
  const a = newDoc(11)
  const t = a.getText('long')
  const chunk = 'The quick brown fox jumps over the lazy dog. Äöü 😀 '
  let s = ''
  while (s.length < 40000) s += chunk
  t.insert(0, s) // above lib0's 10000-unit fast path for strings
  for (let i = 0; i < 200; i++) t.insert((i * 197) % t.length, String.fromCharCode(65 + (i % 26)))
  for (let i = 0; i < 50; i++) t.delete((i * 389) % (t.length - 10), 3)
  goldenDoc('text-long', 'A 40000-unit string (long-string codec path) and hundreds of small items and deletions (v2 run-length columns)', { long: 'text' }, a)
}

// ---------------------------------------------------------------- any, binary, json

const anyValues = [
  null, true, false, '', 'text', 'ünïcödé 😀',
  0, 1, -1, 63, 64, -63, -64, 127, 128, 8191, 8192, -8192, 2147483647, -2147483647,
  2147483648, -2147483648, 4294967295, 4294967296, 9007199254740991, -9007199254740991, 9007199254740992, 2 ** 60,
  0.5, -0.25, 1.1, -2.75, 3.14159, 1e300, -1e-300, 1e21, 1.5e-7, 3.4028234663852886e38, 1.401298464324817e-45,
  NaN, Infinity, -Infinity,
  [], {}, [1, [2, [3, [4]]]], { a: 1, b: { c: [true, null, 'x'] }, 'key with spaces': 'v', '': 'empty key' },
  { bin: new Uint8Array([0, 1, 255]), empty: new Uint8Array(0) }, [new Uint8Array([9, 8, 7])],
  { u: undefined, list: [undefined, null] }
]

{
  const a = newDoc(21)
  a.getArray('values').insert(0, anyValues)
  a.getArray('values').insert(3, ['between']) // splits the ContentAny
  const m = a.getMap('m')
  m.set('undefined', undefined)
  m.set('null', null)
  m.set('int', -42)
  m.set('float', 6.5)
  m.set('obj', { x: [1, 'two', { three: 3 }] })
  goldenDoc('any-values', 'ContentAny with every lib0 any kind except bigint and -0: undefined, null, bools, strings, ints at every varint boundary, float32/float64, NaN/Infinity, nested arrays and objects, Uint8Array inside any', { values: 'array', m: 'map' }, a)
}

{
  const a = newDoc(22)
  a.getMap('m').set('negzero', -0)
  a.getArray('list').insert(0, [-0, { z: -0 }])
  goldenDoc('any-negative-zero', 'JavaScript -0 in ContentAny (lib0 writes it as a varint with the sign bit and no magnitude)', { m: 'map', list: 'array' }, a)
}

{
  const a = newDoc(23)
  const m = a.getMap('m')
  m.set('big', 123n)
  m.set('neg', -5n)
  m.set('max', 9223372036854775807n)
  m.set('min', -9223372036854775808n)
  a.getArray('list').insert(0, [{ nested: 42n }, [7n]])
  goldenDoc('any-bigint', 'BigInt values (lib0 any type 122, 64-bit); JSON.stringify refuses them, so jsonText is null', { m: 'map', list: 'array' }, a)
}

{
  const a = newDoc(24)
  a.getArray('bins').insert(0, [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(300).map((_, i) => i & 0xff)])
  a.getMap('m').set('bin', new Uint8Array([0xde, 0xad, 0xbe, 0xef]))
  a.getArray('bins').delete(1, 1)
  goldenDoc('binary', 'ContentBinary in arrays and maps (including empty and 300-byte payloads)', { bins: 'array', m: 'map' }, a)
}

{
  // yjs reads ContentJSON (ref 2) but no longer writes it for new content, so
  // items carrying it are created through yjs's exported internals.
  const a = newDoc(25)
  const arr = a.getArray('legacy')
  const map = a.getMap('legacyMap')
  a.transact(tr => {
    const store = a.store
    const item = new Y.Item(Y.createID(a.clientID, Y.getState(store, a.clientID)), null, null, null, null, arr, null,
      new Y.ContentJSON([1, 'two', { three: [3] }, null, undefined, true, 2.5]))
    item.integrate(tr, 0)
    const mapItem = new Y.Item(Y.createID(a.clientID, Y.getState(store, a.clientID)), null, null, null, null, map, 'k',
      new Y.ContentJSON([{ legacy: true }]))
    mapItem.integrate(tr, 0)
  })
  arr.delete(2, 2) // splits the JSON content
  arr.insert(1, ['any after json'])
  goldenDoc('content-json', 'ContentJSON (legacy ref 2) in an array and a map, including undefined, split by a deletion', { legacy: 'array', legacyMap: 'map' }, a)
}

// ---------------------------------------------------------------- maps

{
  const a = newDoc(31)
  const b = newDoc(32)
  const m = a.getMap('m')
  m.set('k', 1)
  m.set('k', 'two')
  m.set('k', { three: 3 })
  m.set('gone', 'soon')
  m.set('10', 'integer-like key')
  m.set('2', 'another integer-like key')
  m.set('z', 'last')
  sync(a, b)
  b.getMap('m').set('k', 'from b') // concurrent overwrite, resolved by client id
  a.getMap('m').set('k', 'from a')
  a.getMap('m').delete('gone')
  b.getMap('m').set('new', [1, 2])
  sync(a, b)
  sync(b, a)
  a.getMap('m').delete('z')
  a.getMap('m').set('z', 'again')
  goldenDoc('map-overwrite', 'Map key overwrites (sequential and concurrent), deletions, re-sets, integer-like keys', { m: 'map' }, a)
}

// ---------------------------------------------------------------- types

{
  const a = newDoc(41, false)
  const root = a.getMap('root')
  const arr = new Y.Array()
  const map = new Y.Map()
  const text = new Y.Text()
  const frag = new Y.XmlFragment()
  const el = new Y.XmlElement('div')
  const hook = new Y.XmlHook('my-hook')
  const xtext = new Y.XmlText()
  root.set('array', arr)
  root.set('map', map)
  root.set('text', text)
  root.set('fragment', frag)
  root.set('element', el)
  root.set('hook', hook)
  root.set('xmlText', xtext)
  arr.insert(0, [1, new Y.Map(), new Y.Array(), 'x'])
  arr.get(1).set('deep', new Y.Text())
  arr.get(1).get('deep').insert(0, 'deep text', { bold: true })
  arr.get(2).insert(0, [new Y.Array()])
  arr.get(2).get(0).insert(0, [new Y.Map()])
  map.set('inner', new Y.Array())
  map.get('inner').push(['a', 'b'])
  text.insert(0, 'nested text')
  frag.insert(0, [new Y.XmlElement('p'), new Y.XmlText()])
  frag.get(1).insert(0, 'fragment text')
  el.setAttribute('class', 'c1')
  el.setAttribute('data-n', '5')
  el.insert(0, [new Y.XmlText(), new Y.XmlElement('span')])
  el.get(0).insert(0, 'in div')
  hook.set('hookKey', 'hookValue')
  xtext.insert(0, 'xml text', { b: {} })
  const list = a.getArray('list')
  list.insert(0, [new Y.Text(), new Y.XmlFragment(), new Y.XmlHook('h2')])
  list.get(0).insert(0, 'in list')
  goldenDoc('types-nested', 'ContentType for every type (YArray, YMap, YText, YXmlElement, YXmlFragment, YXmlHook, YXmlText) nested in maps and arrays, several levels deep', { root: 'map', list: 'array' }, a)
}

{
  const a = newDoc(42)
  const b = newDoc(43)
  const x = a.getXmlFragment('xml')
  const p = new Y.XmlElement('p')
  const h1 = new Y.XmlElement('h1')
  x.insert(0, [h1, p, new Y.XmlHook('embed-hook')])
  h1.insert(0, [new Y.XmlText()])
  h1.get(0).insert(0, 'Heading')
  p.setAttribute('align', 'center')
  p.setAttribute('id', 'para')
  const t = new Y.XmlText()
  p.insert(0, [t, new Y.XmlElement('br'), new Y.XmlElement('img')])
  t.insert(0, 'plain bold italic')
  t.format(6, 4, { strong: {} })
  t.format(11, 6, { em: {} })
  p.get(2).setAttribute('src', 'a.png')
  x.get(2).set('payload', { kind: 'widget' })
  sync(a, b)
  b.getXmlFragment('xml').get(1).removeAttribute('id')
  b.getXmlFragment('xml').insert(1, [new Y.XmlElement('hr')])
  a.getXmlFragment('xml').get(1).delete(1, 1)
  sync(b, a)
  goldenDoc('xml', 'Root YXmlFragment with elements, attributes (set and removed), formatted YXmlText, YXmlHook, concurrent edits', { xml: 'xmlFragment' }, a)
}

// ---------------------------------------------------------------- subdocs

{
  const a = newDoc(51)
  const m = a.getMap('docs')
  m.set('plain', new Y.Doc({ guid: 'sub-plain' }))
  m.set('opts', new Y.Doc({ guid: 'sub-opts', gc: false, autoLoad: true, meta: { owner: 'x', n: 1 } }))
  a.getArray('list').insert(0, [new Y.Doc({ guid: 'sub-in-array', meta: 'a string meta' }), 'after'])
  goldenDoc('subdoc', 'ContentDoc in maps and arrays: guid and options (gc false, autoLoad, meta)', { docs: 'map', list: 'array' }, a)
}

// ---------------------------------------------------------------- gc, deleted, skip, merges

{
  const a = newDoc(61, true)
  const m = a.getMap('m')
  const t = a.getText('t')
  m.set('nested', new Y.Array())
  m.get('nested').insert(0, ['a', 'b', new Y.Text()])
  m.get('nested').get(2).insert(0, 'deep')
  m.set('nested', 'replaced') // the array and all of its content are collected: GC structs
  m.set('map', new Y.Map())
  m.get('map').set('x', 1)
  m.get('map').set('x', 2)
  m.delete('map')
  t.insert(0, 'keep this, drop that')
  t.delete(11, 9) // content of a live parent: ContentDeleted
  a.getArray('arr').insert(0, [1, 2, 3, 4, 5])
  a.getArray('arr').delete(1, 3)
  goldenDoc('gc', 'gc on: deleted nested types become GC structs, deleted content of live parents becomes ContentDeleted', { m: 'map', t: 'text', arr: 'array' }, a)
}

{
  const a = newDoc(62, false)
  const m = a.getMap('m')
  m.set('nested', new Y.Array())
  m.get('nested').insert(0, ['a', 'b'])
  m.set('nested', 'replaced')
  a.getText('t').insert(0, 'abcdef')
  a.getText('t').delete(1, 4)
  goldenDoc('no-gc', 'gc off: deleted items keep their content and are only listed in the delete set', { m: 'map', t: 'text' }, a)
}

{
  const a = newDoc(71)
  const log = recordUpdates(a)
  const t = a.getText('t')
  t.insert(0, 'one ')
  t.insert(4, 'two ')
  t.insert(8, 'three ')
  t.insert(14, 'four')
  // leave out the 2nd update: the merge has a gap in client 71's clocks, written as Skip
  const v1 = Y.mergeUpdates([log.v1[0], log.v1[2], log.v1[3]])
  const v2 = Y.mergeUpdatesV2([log.v2[0], log.v2[2], log.v2[3]])
  golden('skip', 'mergeUpdates of non-adjacent updates of one client: a Skip struct fills the gap (the later structs stay pending in a fresh doc)', { t: 'text' }, v1, v2)
}

{
  const a = newDoc(81)
  const b = newDoc(82)
  const logA = recordUpdates(a)
  const logB = recordUpdates(b)
  a.getArray('arr').insert(0, ['a1', 'a2', 'a3'])
  sync(a, b)
  b.getArray('arr').insert(1, ['b1'])
  a.getArray('arr').delete(0, 2) // a delete-set-only update
  b.getMap('m').set('k', 'v')
  b.getArray('arr').delete(3, 1)
  const v1 = Y.mergeUpdates([...logA.v1, ...logB.v1])
  const v2 = Y.mergeUpdatesV2([...logA.v2, ...logB.v2])
  golden('merged-incremental', 'mergeUpdates of incremental updates of two clients, including delete-set-only updates', { arr: 'array', m: 'map' }, v1, v2)
  const dsOnly = logA.v1[logA.v1.length - 1]
  golden('delete-set-only', 'An update with no structs and only a delete set (a fresh doc keeps it as a pending delete set)', { arr: 'array', m: 'map' }, dsOnly, logA.v2[logA.v2.length - 1])
}

{
  const ids = [0, 2 ** 32 + 5, 2 ** 53 - 1]
  const docs = ids.map(id => newDoc(id))
  docs.forEach((d, i) => d.getArray('arr').insert(0, [`from client ${ids[i]}`]))
  docs.forEach(d => docs.forEach(o => { if (o !== d) sync(o, d) }))
  docs[0].getArray('arr').delete(1, 1)
  goldenDoc('large-client-ids', 'Client ids 0, 2^32+5 and 2^53-1 (varints beyond 32 bits)', { arr: 'array' }, docs[0])
}

// ---------------------------------------------------------------- coverage

/** Fails unless the cases together contain every struct, content and type kind. */
const checkCoverage = () => {
  const seen = new Set()
  for (const c of cases) {
    for (const [update, decode] of [[c.v1, Y.decodeUpdate], [c.v2, Y.decodeUpdateV2]]) {
      for (const s of decode(update).structs) {
        if (s instanceof Y.GC) seen.add('GC')
        else if (s instanceof Y.Skip) seen.add('Skip')
        else {
          seen.add(s.content.constructor.name)
          if (s.content instanceof Y.ContentType) seen.add(`type:${s.content.type.constructor.name}`)
        }
      }
    }
  }
  const required = ['GC', 'Skip', 'ContentDeleted', 'ContentJSON', 'ContentBinary', 'ContentString', 'ContentEmbed',
    'ContentFormat', 'ContentType', 'ContentAny', 'ContentDoc',
    'type:YArray', 'type:YMap', 'type:YText', 'type:YXmlElement', 'type:YXmlFragment', 'type:YXmlHook', 'type:YXmlText']
  const missing = required.filter(r => !seen.has(r))
  if (missing.length > 0) throw new Error(`golden cases do not cover: ${missing.join(', ')} (seen ${[...seen].join(', ')})`)
}
checkCoverage()

// ---------------------------------------------------------------- write

mkdirSync(outDir, { recursive: true })
for (const f of readdirSync(outDir)) {
  if (/\.(v1\.bin|v2\.bin|json)$/.test(f)) rmSync(join(outDir, f))
}
for (const c of cases) {
  writeFileSync(join(outDir, `${c.name}.v1.bin`), c.v1)
  writeFileSync(join(outDir, `${c.name}.v2.bin`), c.v2)
  const json = {
    name: c.name,
    description: c.description,
    roots: c.roots,
    jsonText: c.expected.jsonText,
    toJSON: c.expected.jsonText === null ? null : JSON.parse(c.expected.jsonText),
    deep: c.expected.deep,
    sv: c.expected.sv
  }
  writeFileSync(join(outDir, `${c.name}.json`), JSON.stringify(json, null, 2) + '\n')
}
console.log(`wrote ${cases.length} golden cases to ${outDir}`)
