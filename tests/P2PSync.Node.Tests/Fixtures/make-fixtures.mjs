// Regenerates the update files the CLI tests load, using the real yjs (tests/oracle):
//   node tests/P2PSync.Node.Tests/Fixtures/make-fixtures.mjs
// Outputs are committed; the tests never run node themselves.
import * as Y from '../../oracle/node_modules/yjs/dist/yjs.mjs'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const write = (name, data) => writeFileSync(join(here, name), typeof data === 'string' ? data : Buffer.from(data))

// JSON.stringify with object keys sorted, which is what `p2psync crdt show` prints.
const sorted = (value) => {
  if (Array.isArray(value)) return value.map(sorted)
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const out = {}
    for (const key of Object.keys(value).sort()) out[key] = sorted(value[key])
    return out
  }
  return value
}

// One doc with every root kind and nested types.
const doc = new Y.Doc()
doc.clientID = 7
doc.transact(() => {
  const text = doc.getText('t')
  text.insert(0, 'hello world')
  text.format(0, 5, { bold: true })
  text.insert(11, ' \u{1F600}!')
  const array = doc.getArray('a')
  const inner = new Y.Map()
  array.insert(0, [1, 'x', { b: 2, a: [true, null], c: 'é' }, inner, 1.5, -7, 2 ** 40, new Uint8Array([1, 2, 3])])
  inner.set('z', 1)
  const deep = new Y.Array()
  inner.set('y', deep)
  deep.push(['deep', false])
  const map = doc.getMap('m')
  map.set('k', 'v')
  map.set('gone', 1)
  map.delete('gone')
  const innerText = new Y.Text('inner')
  map.set('n', innerText)
  map.set('obj', { y: 1, x: { q: 'r' } })
  // An unloaded subdocument: yjs's toJSON gives {}.
  map.set('sub', new Y.Doc({ guid: 'sub-guid' }))
  const xml = doc.getXmlFragment('x')
  const p = new Y.XmlElement('p')
  p.setAttribute('class', 'c1')
  p.insert(0, [new Y.XmlText('para')])
  xml.insert(0, [p, new Y.XmlText('tail')])
})
// The expected view comes from a doc loaded from the update, as `crdt show` loads it; the
// JSON round trip applies toJSON of nested values (a Y.Doc, a Uint8Array) as JSON.stringify does.
const reloaded = new Y.Doc()
Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(doc))
const roots = { t: reloaded.getText('t'), a: reloaded.getArray('a'), m: reloaded.getMap('m'), x: reloaded.getXmlFragment('x') }
const expected = {}
for (const [name, type] of Object.entries(roots)) expected[name] = JSON.parse(JSON.stringify(type.toJSON()))
write('mixed.v1.bin', Y.encodeStateAsUpdate(doc))
write('mixed.v2.bin', Y.encodeStateAsUpdateV2(doc))
write('mixed.expected.json', JSON.stringify(sorted(expected)) + '\n')

// Two replicas editing the same text concurrently, for `crdt merge`.
const base = new Y.Doc()
base.clientID = 1
base.getText('text').insert(0, 'shared base')
const left = new Y.Doc()
left.clientID = 2
const right = new Y.Doc()
right.clientID = 3
Y.applyUpdate(left, Y.encodeStateAsUpdate(base))
Y.applyUpdate(right, Y.encodeStateAsUpdate(base))
left.getText('text').insert(0, 'left: ')
right.getText('text').delete(0, 7)
right.getText('text').insert(right.getText('text').length, ' (right)')
const parts = [Y.encodeStateAsUpdate(base), Y.encodeStateAsUpdate(left, Y.encodeStateVector(base)), Y.encodeStateAsUpdate(right, Y.encodeStateVector(base))]
parts.forEach((u, i) => {
  write(`part${i}.v1.bin`, u)
  write(`part${i}.v2.bin`, Y.convertUpdateFormatV1ToV2(u))
})
const merged = new Y.Doc()
parts.forEach(u => Y.applyUpdate(merged, u))
write('merged.v1.bin', Y.encodeStateAsUpdate(merged))
write('merged.v2.bin', Y.encodeStateAsUpdateV2(merged))
write('merged.expected.json', JSON.stringify({ text: merged.getText('text').toString() }) + '\n')
