// An unmodified y-websocket client (npm y-websocket + ws) used by the node interop tests.
// Usage: node ywebsocket-client.mjs SERVER_URL ROOM INSERT EXPECTED_JSON TIMEOUT_MS
//   connects to SERVER_URL/ROOM, waits for the first sync, appends INSERT to the root text
//   "text", then waits until the text contains every string of EXPECTED_JSON (a JSON array).
//   Prints {"text": ...} and exits 0; exits 3 on timeout (the text so far on stderr).
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

const [serverUrl, room, insert, expectedJson, timeoutText] = process.argv.slice(2)
const timeoutMs = Number(timeoutText)
const expected = JSON.parse(expectedJson)
const doc = new Y.Doc()
const provider = new WebsocketProvider(serverUrl, room, doc, { WebSocketPolyfill: WebSocket, disableBc: true })
provider.awareness.setLocalStateField('user', { name: insert })
const text = doc.getText('text')

const fail = (why) => {
  console.error(`${why}; text=${JSON.stringify(text.toString())}`)
  process.exit(3)
}

const timer = setTimeout(() => fail('timed out'), timeoutMs)
await new Promise((resolve) => {
  if (provider.synced) resolve()
  provider.on('sync', (synced) => { if (synced) resolve() })
})
text.insert(text.length, insert)
while (!expected.every((part) => text.toString().includes(part))) {
  await new Promise((resolve) => setTimeout(resolve, 25))
}
clearTimeout(timer)
// Give the last local update a moment to leave the socket before closing it.
await new Promise((resolve) => setTimeout(resolve, 200))
console.log(JSON.stringify({ text: text.toString() }))
provider.destroy()
process.exit(0)
