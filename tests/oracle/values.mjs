// Value codec between the JSON that crosses the process boundary and the
// JavaScript values yjs works with, plus the "deep view" of a document.
//
// JSON cannot carry every lib0 "any" value, so a small escape vocabulary is used
// (an object whose FIRST key starts with "$" is an escape, never user data):
//   {"$undefined":true}          undefined
//   {"$bin":"<base64>"}          Uint8Array
//   {"$bigint":"-123"}           BigInt
//   {"$num":"-0"|"NaN"|"Infinity"|"-Infinity"}
//   {"$type":"map"|"array"|"text"|"xmlFragment"|"xmlText",
//    "$type":"xmlElement","name":"p" / "$type":"xmlHook","hookName":"h"}
//                                a new, empty shared type (input only)
//   {"$doc":{"guid":"...","opts":{...}}}   a subdocument
// The deep view (output only) describes shared types structurally, because
// toJSON() loses formatting, embeds, attributes and subdocument options:
//   {"$text":[delta]} {"$xmlText":[delta],"attrs":{}} {"$array":[...]}
//   {"$map":{}} {"$xmlFragment":[...]} {"$xmlElement":"p","attrs":{},"children":[...]}
//   {"$xmlHook":"h","map":{}}
// Map keys and attributes are sorted in the deep view so that comparisons do
// not depend on insertion order; the C# side builds the same view.

import * as Y from 'yjs'

export const toB64 = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
export const fromB64 = (s) => new Uint8Array(Buffer.from(s, 'base64'))

const isEscape = (o) => {
  const keys = Object.keys(o)
  return keys.length > 0 && keys[0].startsWith('$')
}

/** Turns a wire value into the JavaScript value yjs should receive. */
export const fromWire = (v) => {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(fromWire)
  if (isEscape(v)) {
    const key = Object.keys(v)[0]
    switch (key) {
      case '$undefined': return undefined
      case '$bin': return fromB64(v.$bin)
      case '$bigint': return BigInt(v.$bigint)
      case '$num': return numberFromName(v.$num)
      case '$type': return newType(v)
      case '$doc': return new Y.Doc({ guid: v.$doc.guid, ...fromWire(v.$doc.opts ?? {}) })
      default: throw new Error(`unknown escape ${key}`)
    }
  }
  const out = {}
  for (const k of Object.keys(v)) out[k] = fromWire(v[k])
  return out
}

const numberFromName = (name) => {
  switch (name) {
    case '-0': return -0
    case 'NaN': return NaN
    case 'Infinity': return Infinity
    case '-Infinity': return -Infinity
    default: throw new Error(`unknown $num ${name}`)
  }
}

const newType = (spec) => {
  switch (spec.$type) {
    case 'map': return new Y.Map()
    case 'array': return new Y.Array()
    case 'text': return new Y.Text()
    case 'xmlFragment': return new Y.XmlFragment()
    case 'xmlText': return new Y.XmlText()
    case 'xmlElement': return new Y.XmlElement(spec.name)
    case 'xmlHook': return new Y.XmlHook(spec.hookName)
    default: throw new Error(`unknown $type ${spec.$type}`)
  }
}

/** Turns a value read from a yjs document into wire JSON (types become deep views). */
export const toWire = (v) => {
  switch (typeof v) {
    case 'undefined': return { $undefined: true }
    case 'bigint': return { $bigint: v.toString() }
    case 'number':
      if (Object.is(v, -0)) return { $num: '-0' }
      if (Number.isNaN(v)) return { $num: 'NaN' }
      if (v === Infinity) return { $num: 'Infinity' }
      if (v === -Infinity) return { $num: '-Infinity' }
      return v
    case 'object':
      if (v === null) return null
      if (Array.isArray(v)) return v.map(toWire)
      if (v instanceof Uint8Array) return { $bin: toB64(v) }
      if (v instanceof Y.AbstractType) return deepType(v)
      if (v instanceof Y.Doc) return deepSubdoc(v)
      {
        const out = {}
        for (const k of Object.keys(v)) out[k] = toWire(v[k])
        return out
      }
    default: return v
  }
}

const sortedEntries = (obj) => Object.keys(obj).sort(compareKeys).map(k => [k, toWire(obj[k])])
const sortedObject = (obj) => Object.fromEntries(sortedEntries(obj))

// Ordinal (UTF-16 code unit) comparison, the same as C#'s string.CompareOrdinal.
export const compareKeys = (a, b) => (a < b ? -1 : a > b ? 1 : 0)

const deepSubdoc = (doc) => {
  const opts = doc._item !== null ? doc._item.content.opts : {}
  return { $doc: { guid: doc.guid, opts: toWire(opts) } }
}

const deltaToWire = (delta) => delta.map(op => {
  const out = {}
  if (op.insert !== undefined) {
    if (typeof op.insert === 'string') out.insert = op.insert
    else if (op.insert instanceof Y.AbstractType) out.insert = deepType(op.insert)
    else out.insert = { $embed: toWire(op.insert) }
  }
  if (op.retain !== undefined) out.retain = op.retain
  if (op.delete !== undefined) out.delete = op.delete
  if (op.attributes !== undefined) out.attributes = sortedObject(op.attributes)
  return out
})

/** Structural view of a shared type; see the header comment for the shape. */
export const deepType = (t) => {
  if (t instanceof Y.XmlHook) {
    return { $xmlHook: t.hookName, map: sortedObject(Object.fromEntries(t.entries())) }
  }
  if (t instanceof Y.XmlText) {
    return { $xmlText: deltaToWire(t.toDelta()), attrs: sortedObject(t.getAttributes()) }
  }
  if (t instanceof Y.XmlElement) {
    return { $xmlElement: t.nodeName, attrs: sortedObject(t.getAttributes()), children: t.toArray().map(deepType) }
  }
  if (t instanceof Y.XmlFragment) return { $xmlFragment: t.toArray().map(deepType) }
  if (t instanceof Y.Text) return { $text: deltaToWire(t.toDelta()) }
  if (t instanceof Y.Map) return { $map: sortedObject(Object.fromEntries(t.entries())) }
  if (t instanceof Y.Array) return { $array: t.toArray().map(toWire) }
  return { $abstract: true }
}

const ROOT_CONSTRUCTORS = {
  text: Y.Text,
  array: Y.Array,
  map: Y.Map,
  xmlFragment: Y.XmlFragment
}

/** Defines (or fetches) a named root of the given kind: text, array, map or xmlFragment. */
export const getRoot = (doc, name, kind) => {
  const ctor = ROOT_CONSTRUCTORS[kind]
  if (ctor === undefined) throw new Error(`unknown root kind ${kind}`)
  return doc.get(name, ctor)
}

/** Deep view of the named roots, keys sorted. */
export const deepDoc = (doc, roots) => {
  const out = {}
  for (const name of Object.keys(roots).sort(compareKeys)) out[name] = deepType(getRoot(doc, name, roots[name]))
  return out
}

/**
 * JSON.stringify of {name: root.toJSON()} in the order the roots are listed, or null
 * when JSON.stringify refuses (a BigInt somewhere in the document).
 */
export const jsonText = (doc, roots) => {
  const obj = {}
  for (const name of Object.keys(roots)) obj[name] = getRoot(doc, name, roots[name]).toJSON()
  try {
    return JSON.stringify(obj)
  } catch {
    return null
  }
}
