// Counts the signed records a node stored for one document and how many Yjs updates each carries
// (so the report shows how many updates share one signature). Reads one record a line, in hex,
// on stdin (what `sqlite3 node.db "SELECT hex(record) FROM signed_records WHERE doc_id = ..."`
// prints); prints one JSON line: {records, updates, authors, perRecord: {min, median, max}}.
//
//   sqlite3 -readonly DB "SELECT hex(record) ..." | node record-stats.mjs
//
// Only the update count is read; the node has already checked each record's form and signature
// before storing it. Layout (docs/protocol/signed-record.md, SignedRecord v1):
//
//  0     1              17                     49          57       58             58+n
//  +-----+--------------+----------------------+-----------+--------+--------------+---------------------------+-----------+
//  | ver | space id 16  | author Ed25519 pk 32 | seq u64BE | n (u8) | doc id n B   | updates: varuint count,   | signature |
//  | =1  |              |                      | >= 1      | 1..128 |              | count x (varuint len,     | 64        |
//  |     |              |                      |           |        |              | len bytes Yjs update v1)  |           |
//  +-----+--------------+----------------------+-----------+--------+--------------+---------------------------+-----------+
//  varuint = unsigned LEB128, low 7-bit group first.

import { readFileSync } from 'node:fs'

const AUTHOR_AT = 17
const DOC_ID_LENGTH_AT = 57
const SIGNATURE_LENGTH = 64

const fail = (message) => {
  console.error(`record-stats: ${message}`)
  process.exit(1)
}

// Unsigned LEB128 at `at`; refuses to run past `end` or beyond 32 bits (a count never is).
const readVaruint = (bytes, at, end) => {
  let value = 0
  for (let shift = 0; shift < 35; shift += 7) {
    if (at >= end) fail('a varuint runs into the signature')
    const byte = bytes[at++]
    value += (byte & 0x7f) * 2 ** shift
    if ((byte & 0x80) === 0) return value
  }
  return fail('a varuint is longer than 5 bytes')
}

const lines = readFileSync(0, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '')
const counts = []
const authors = new Set()
for (const [i, line] of lines.entries()) {
  if (!/^([0-9A-Fa-f]{2})+$/.test(line)) fail(`line ${i + 1} is not hex`)
  const bytes = Buffer.from(line, 'hex')
  if (bytes.length < DOC_ID_LENGTH_AT + 1 + SIGNATURE_LENGTH) fail(`record ${i + 1} is too short (${bytes.length} bytes)`)
  if (bytes[0] !== 1) fail(`record ${i + 1} has version ${bytes[0]}, not 1`)
  authors.add(bytes.subarray(AUTHOR_AT, AUTHOR_AT + 32).toString('hex'))
  const countAt = DOC_ID_LENGTH_AT + 1 + bytes[DOC_ID_LENGTH_AT]
  counts.push(readVaruint(bytes, countAt, bytes.length - SIGNATURE_LENGTH))
}
const sorted = [...counts].sort((x, y) => x - y)
console.log(JSON.stringify({
  records: counts.length,
  updates: counts.reduce((sum, n) => sum + n, 0),
  authors: authors.size,
  perRecord: counts.length === 0
    ? null
    : { min: sorted[0], median: sorted[Math.ceil(sorted.length / 2) - 1], max: sorted[sorted.length - 1] }
}))
