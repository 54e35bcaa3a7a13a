// A lean WebSocket client for the load side of the bench: a plain TCP socket, the RFC 6455
// handshake, client frames built by hand and server frames cut out of the byte stream.
// Why not the `ws` package: its per-message cost (events, Buffer concat, one write per frame)
// was ~13 us per publish+delivery, so at one subscriber the load process, not the server under
// test, decided the ratio. Here several queued frames go out in one write and a read carries
// many frames, so the load costs ~1-2 us per message and the servers are what gets measured.
import { randomBytes } from 'node:crypto'
import net from 'node:net'

// A client frame must be masked; the all-zero mask leaves the payload as it is, so a frame is
// the header plus the UTF-8 text. Both servers accept it (the mask key is not theirs to judge).
export function textFrame (text) {
  const payload = Buffer.from(text, 'utf8')
  const n = payload.length
  let header
  if (n < 126) {
    header = Buffer.from([0x81, 0x80 | n, 0, 0, 0, 0])
  } else if (n < 65536) {
    header = Buffer.from([0x81, 0x80 | 126, n >> 8, n & 0xff, 0, 0, 0, 0])
  } else {
    throw new Error('bench frames stay under 64 KiB')
  }
  return Buffer.concat([header, payload])
}

/**
 * Opens a WebSocket to ws://127.0.0.1:PORT/PATH. onText(buffer, start, end) gets each text frame's
 * payload as a slice of the read buffer (valid only during the call); other opcodes are skipped.
 */
export function openRaw (url, onText) {
  const { hostname, port, pathname } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port), noDelay: true })
    let pending = Buffer.alloc(0)
    let upgraded = false
    const client = {
      // Frames queued in one tick are written together (one syscall), as a busy client would.
      queue: [],
      send (frame) {
        if (client.queue.length === 0) process.nextTick(client.flush)
        client.queue.push(frame)
      },
      flush () {
        if (client.queue.length === 0) return
        const frames = client.queue.length === 1 ? client.queue[0] : Buffer.concat(client.queue)
        client.queue = []
        socket.write(frames)
      },
      close: () => socket.destroy()
    }
    socket.once('error', reject)
    socket.on('connect', () => {
      socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`)
    })
    socket.on('data', (chunk) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
      if (!upgraded) {
        const end = pending.indexOf('\r\n\r\n')
        if (end < 0) return
        const status = pending.subarray(0, pending.indexOf('\r\n')).toString()
        if (!status.includes(' 101 ')) {
          reject(new Error(`${url}: ${status}`))
          socket.destroy()
          return
        }
        upgraded = true
        pending = pending.subarray(end + 4)
        resolve(client)
      }
      let at = 0
      while (pending.length - at >= 2) {
        const opcode = pending[at] & 0x0f
        let length = pending[at + 1] & 0x7f
        let header = 2
        if (length === 126) {
          if (pending.length - at < 4) break
          length = pending.readUInt16BE(at + 2)
          header = 4
        } else if (length === 127) {
          if (pending.length - at < 10) break
          length = Number(pending.readBigUInt64BE(at + 2))
          header = 10
        }
        if (pending.length - at < header + length) break
        if (opcode === 1) onText(pending, at + header, at + header + length)
        at += header + length
      }
      pending = at === pending.length ? Buffer.alloc(0) : pending.subarray(at)
    })
  })
}
