// An unmodified y-websocket client that shows its awareness and prints what it sees.
// Run from tests/oracle (so 'yjs' and 'y-websocket' resolve) with the script on stdin:
//   node --input-type=module < ywebsocket-awareness.mjs
// Environment: WS_SERVER (ws://host:port/yjs), WS_ROOM (document id), WS_USER (user name),
//   WS_CURSOR (index in the root text "text"; sent as anchor and head).
// Prints one JSON line per awareness or document change: {"states":[{"clientId","user","cursor",
// "device","headIndex","anchorIndex"}]} with every state but its own; the indexes are a cursor
// given as Yjs relative positions (a node's own state) resolved in this client's copy of "text".
// SIGTERM disconnects cleanly (y-websocket sends its removal).
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

const { WS_SERVER, WS_ROOM, WS_USER, WS_CURSOR } = process.env
const doc = new Y.Doc()
const provider = new WebsocketProvider(WS_SERVER, WS_ROOM, doc, { WebSocketPolyfill: WebSocket, disableBc: true })
const cursor = Number(WS_CURSOR)
provider.awareness.setLocalState({ user: { name: WS_USER }, cursor: { anchor: cursor, head: cursor } })

const resolve = (position) => {
  if (position === null || typeof position !== 'object') return null
  const absolute = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(position), doc)
  return absolute === null ? null : absolute.index
}

const report = () => {
  const states = []
  provider.awareness.getStates().forEach((state, clientId) => {
    if (clientId !== doc.clientID) {
      const cursor = state.cursor ?? null
      states.push({
        clientId,
        user: state.user ?? null,
        cursor,
        device: state.device ?? null,
        headIndex: cursor === null ? null : resolve(cursor.head),
        anchorIndex: cursor === null ? null : resolve(cursor.anchor)
      })
    }
  })
  console.log(JSON.stringify({ states }))
}

provider.awareness.on('change', report)
doc.on('update', report)
provider.on('status', ({ status }) => console.error(`status ${status}`))
report()

process.on('SIGTERM', () => {
  provider.destroy()
  // Let the removal message leave the socket before the process ends.
  setTimeout(() => process.exit(0), 300)
})
