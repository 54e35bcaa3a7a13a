// Interprets one editing operation of an op script against a yjs document.
// The same vocabulary is interpreted by the C# side (Interop.Tests/Scripts),
// so that both libraries perform exactly the same calls. See README.md.

import * as Y from 'yjs'
import { fromWire, getRoot } from './values.mjs'

/** Follows op.path ([rootName, key-or-index, ...]) from a root to a shared type. */
export const resolvePath = (doc, roots, path) => {
  if (!Array.isArray(path) || path.length === 0) throw new Error('op.path must name a root')
  const kind = roots[path[0]]
  if (kind === undefined) throw new Error(`root ${path[0]} is not declared in script.roots`)
  let cur = getRoot(doc, path[0], kind)
  for (let i = 1; i < path.length; i++) {
    const seg = path[i]
    let next
    if (typeof seg === 'string') {
      if (cur instanceof Y.Map) next = cur.get(seg)
      else if (cur instanceof Y.XmlElement || cur instanceof Y.Text) next = cur.getAttribute(seg)
      else throw new Error(`path segment "${seg}" needs a map or element, found ${cur.constructor.name}`)
    } else {
      if (cur instanceof Y.Array || cur instanceof Y.XmlFragment) next = cur.get(seg)
      else throw new Error(`path segment ${seg} needs an array or xml node, found ${cur.constructor.name}`)
    }
    if (!(next instanceof Y.AbstractType)) throw new Error(`path ${JSON.stringify(path.slice(0, i + 1))} is not a shared type`)
    cur = next
  }
  return cur
}

const attrsOf = (op) => (op.attrs === undefined || op.attrs === null ? undefined : fromWire(op.attrs))

const applyTextOp = (t, op) => {
  switch (op.op) {
    case 'insert': t.insert(op.index, op.text, attrsOf(op)); return
    case 'insertEmbed': t.insertEmbed(op.index, fromWire(op.embed), attrsOf(op)); return
    case 'delete': t.delete(op.index, op.length); return
    case 'format': t.format(op.index, op.length, fromWire(op.attrs)); return
    case 'applyDelta': t.applyDelta(op.delta.map(d => {
      const out = {}
      if (d.insert !== undefined) out.insert = typeof d.insert === 'string' ? d.insert : fromWire(d.insert)
      if (d.retain !== undefined) out.retain = d.retain
      if (d.delete !== undefined) out.delete = d.delete
      if (d.attributes !== undefined) out.attributes = fromWire(d.attributes)
      return out
    }), { sanitize: false }); return
    case 'setAttribute': t.setAttribute(op.name, fromWire(op.value)); return
    case 'removeAttribute': t.removeAttribute(op.name); return
    default: throw new Error(`op ${op.op} is not defined for text`)
  }
}

const applyListOp = (a, op) => {
  switch (op.op) {
    case 'insert': a.insert(op.index, op.values.map(fromWire)); return
    case 'push': a.push(op.values.map(fromWire)); return
    case 'delete': a.delete(op.index, op.length); return
    default: throw new Error(`op ${op.op} is not defined for ${a.constructor.name}`)
  }
}

const applyMapOp = (m, op) => {
  switch (op.op) {
    case 'set': m.set(op.key, fromWire(op.value)); return
    case 'delete': m.delete(op.key); return
    default: throw new Error(`op ${op.op} is not defined for map`)
  }
}

const applyElementOp = (e, op) => {
  switch (op.op) {
    case 'setAttribute': e.setAttribute(op.name, fromWire(op.value)); return
    case 'removeAttribute': e.removeAttribute(op.name); return
    default: applyListOp(e, op)
  }
}

/** Applies one op (inside whatever transaction is open). */
export const applyOp = (doc, roots, op) => {
  const target = resolvePath(doc, roots, op.path)
  if (target instanceof Y.Text) applyTextOp(target, op) // YXmlText too
  else if (target instanceof Y.Map) applyMapOp(target, op) // YXmlHook too
  else if (target instanceof Y.XmlElement) applyElementOp(target, op)
  else if (target instanceof Y.Array || target instanceof Y.XmlFragment) applyListOp(target, op)
  else throw new Error(`cannot apply ${op.op} to ${target.constructor.name}`)
}
