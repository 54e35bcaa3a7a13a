// The physical floor for a handoff's transfer: the time to copy N bytes over an established
// loopback TCP connection to another process and get a one-byte ack back. Plain bytes (no
// encryption, no framing beyond a length), so nothing can beat it.
//
//   node floor.mjs --bytes N [--samples 20 --warmup 3]
//   prints {bytes, samplesMs:[...], medianMs}

import { spawn } from 'node:child_process'
import { connect } from 'node:net'
import { parseArgs } from 'node:util'
import { randomFillSync } from 'node:crypto'

const { values: opts } = parseArgs({ options: { bytes: { type: 'string' }, samples: { type: 'string', default: '20' }, warmup: { type: 'string', default: '3' } } })
const bytes = Number(opts.bytes)
if (!Number.isInteger(bytes) || bytes <= 0) {
  console.error('--bytes N (a positive integer) is required')
  process.exit(2)
}

// The receiver: reads a 4-byte big-endian length and that many bytes, then acks with one byte.
const receiverCode = `
const net = require('node:net')
const server = net.createServer((socket) => {
  socket.setNoDelay(true)
  let want = -1, have = 0, header = Buffer.alloc(0)
  socket.on('data', (chunk) => {
    while (chunk.length > 0) {
      if (want < 0) {
        header = Buffer.concat([header, chunk])
        if (header.length < 4) return
        want = header.readUInt32BE(0); have = 0
        chunk = header.subarray(4); header = Buffer.alloc(0)
      }
      const take = Math.min(chunk.length, want - have)
      have += take; chunk = chunk.subarray(take)
      if (have === want) { socket.write(Buffer.of(1)); want = -1 }
    }
  })
})
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
process.stdin.on('end', () => process.exit(0)).resume()
`
const receiver = spawn(process.execPath, ['-e', receiverCode], { stdio: ['pipe', 'pipe', 'inherit'] })
const killReceiver = () => { try { receiver.kill('SIGKILL') } catch {} }
process.on('exit', killReceiver)
const watchdog = setTimeout(() => { console.error('floor: gave up after 120 s'); process.exit(3) }, 120000)

const port = await new Promise((resolve, reject) => {
  receiver.stdout.once('data', (d) => resolve(Number(String(d).trim())))
  receiver.once('exit', (code) => reject(new Error(`receiver exited ${code}`)))
})
const socket = connect({ port, host: '127.0.0.1', noDelay: true })
await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })

const payload = Buffer.alloc(4 + bytes)
payload.writeUInt32BE(bytes, 0)
randomFillSync(payload, 4)
let onAck
socket.on('data', () => onAck?.())
const once = () => new Promise((resolve) => {
  const t0 = performance.now()
  onAck = () => { onAck = undefined; resolve(performance.now() - t0) }
  socket.write(payload)
})

const samplesMs = []
for (let i = 0; i < Number(opts.warmup) + Number(opts.samples); i++) {
  const ms = await once()
  if (i >= Number(opts.warmup)) samplesMs.push(Number(ms.toFixed(4)))
}
socket.end()
receiver.stdin.end()
clearTimeout(watchdog)
const sorted = [...samplesMs].sort((x, y) => x - y)
console.log(JSON.stringify({ bytes, samplesMs, medianMs: sorted[Math.ceil(sorted.length / 2) - 1] }))
