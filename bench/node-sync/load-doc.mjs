// Uploads a replayed trace into one room of a y-websocket server (here: a node's /yjs/{docId})
// with an unmodified npm y-websocket client, waits until the client is synced, then closes it
// gracefully. The content travels as the client's SyncStep2, which the server may still be
// applying when we exit: callers check the server's copy themselves. Prints
// {"updateBytes":N,"textLength":N} on stdout.
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
const timer = setTimeout(() => { console.error('timed out after 60 s waiting for the upload to sync'); process.exit(3) }, 60000)
provider.on('sync', (synced) => {
  if (!synced) return
  clearTimeout(timer)
  console.log(JSON.stringify({ updateBytes: update.length, textLength: content.length }))
  provider.destroy()
  process.exit(0)
})
