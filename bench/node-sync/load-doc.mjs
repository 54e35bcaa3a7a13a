// Uploads a replayed trace into one room of a y-websocket server (here: a node's /yjs/{docId})
// with an unmodified npm y-websocket client, and keeps that client connected until a second,
// empty client in the same room holds the whole text: the content travels as the uploader's
// SyncStep2, and a server that sees the uploader leave while that message is still in flight
// may drop it (a busy machine made a node lose the whole upload that way). Then both close.
// Prints {"updateBytes":N,"textLength":N} on stdout. Gives up after 60 s.
//
//   node load-doc.mjs --url WS_URL --room ROOM --trace FILE.json.gz

import * as Y from '../../tests/oracle/node_modules/yjs/dist/yjs.mjs'
import { WebsocketProvider } from '../../tests/oracle/node_modules/y-websocket/src/y-websocket.js'
import WebSocket from '../../tests/oracle/node_modules/ws/wrapper.mjs'
import { parseArgs } from 'node:util'
import { replayTrace } from './trace.mjs'

const { values: opts } = parseArgs({ options: { url: { type: 'string' }, room: { type: 'string' }, trace: { type: 'string' } } })
for (const required of ['url', 'room', 'trace']) {
  if (!opts[required]) {
    console.error(`missing --${required}`)
    process.exit(2)
  }
}

const { update, content } = replayTrace(opts.trace)
const doc = new Y.Doc()
Y.applyUpdate(doc, update)
const provider = new WebsocketProvider(opts.url, opts.room, doc, { WebSocketPolyfill: WebSocket, disableBc: true })
const timer = setTimeout(() => { console.error('timed out after 60 s waiting for the server to hold the whole upload'); process.exit(3) }, 60000)
let probing = false // 'sync' fires again after a reconnect; one probe is enough
provider.on('sync', (synced) => {
  if (!synced || probing) return
  probing = true
  // Checked on every update the probe gets (no polling): done once it has the whole text.
  const probeDoc = new Y.Doc()
  const probeText = probeDoc.getText('text')
  const probe = new WebsocketProvider(opts.url, opts.room, probeDoc, { WebSocketPolyfill: WebSocket, disableBc: true })
  const check = () => {
    if (probeText.length !== content.length) return
    clearTimeout(timer)
    console.log(JSON.stringify({ updateBytes: update.length, textLength: content.length }))
    probe.destroy()
    provider.destroy()
    process.exit(0)
  }
  probeDoc.on('update', check)
  check()
})
