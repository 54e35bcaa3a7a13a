// Prints golden bytes produced by the real y-protocols 1.0.7 (sync.js, awareness.js, auth.js)
// and y-websocket's outer message framing, for the C# codec tests.
// Run: node tests/oracle/yprotocols-golden.mjs > /tmp/yprotocols-golden.txt
// The output lines are C# dictionary entries; paste them into
// tests/P2PSync.Protocol.Tests/YProtocols/YProtocolsGoldenData.cs. Each name is also used by a
// test in YProtocolsGoldenTests.cs that rebuilds the same message in C#; keep the two in step.
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as authProtocol from 'y-protocols/auth'

// y-websocket 3.0.0 outer message types (src/y-websocket.js).
const messageSync = 0
const messageAwareness = 1
const messageAuth = 2
const messageQueryAwareness = 3

const hex = bytes => Buffer.from(bytes).toString('hex')
const out = []
const emit = (name, bytes) => out.push(`        ["${name}"] = "${hex(bytes)}",`)
const enc = (name, f) => emit(name, encoding.encode(f))

// A small deterministic document: client 1 types "hello", client 2 appends " world" and
// deletes the "h"; a map entry gives the update a second root type.
const doc = new Y.Doc()
doc.clientID = 1
doc.getText('text').insert(0, 'hello')
const peer = new Y.Doc()
peer.clientID = 2
Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
const partialSv = Y.encodeStateVector(peer)
peer.getText('text').insert(5, ' world')
peer.getText('text').delete(0, 1)
peer.getMap('meta').set('title', 'Greeting')
Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer))

const emptyDoc = new Y.Doc()
emptyDoc.clientID = 3

emit('doc:update', Y.encodeStateAsUpdate(doc))
emit('doc:sv', Y.encodeStateVector(doc))
emit('doc:partialSv', partialSv)

enc('sync:step1:empty', e => syncProtocol.writeSyncStep1(e, emptyDoc))
enc('sync:step1:doc', e => syncProtocol.writeSyncStep1(e, doc))
enc('sync:step2:full', e => syncProtocol.writeSyncStep2(e, doc))
enc('sync:step2:diff', e => syncProtocol.writeSyncStep2(e, doc, partialSv))
enc('sync:step2:empty', e => syncProtocol.writeSyncStep2(e, emptyDoc))
enc('sync:update', e => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc, partialSv)))

// The reply readSyncMessage writes for a SyncStep1 (what a y-websocket server answers).
{
  const reply = encoding.createEncoder()
  const decoder = (await import('lib0/decoding')).createDecoder(encoding.encode(e => syncProtocol.writeSyncStep1(e, emptyDoc)))
  syncProtocol.readSyncMessage(decoder, reply, doc, null)
  emit('sync:reply-to-empty-step1', encoding.toUint8Array(reply))
}

// y-websocket outer messages.
enc('ws:sync:step1:doc', e => {
  encoding.writeVarUint(e, messageSync)
  syncProtocol.writeSyncStep1(e, doc)
})
enc('ws:sync:update', e => {
  encoding.writeVarUint(e, messageSync)
  syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc, partialSv))
})
enc('ws:queryAwareness', e => encoding.writeVarUint(e, messageQueryAwareness))
enc('ws:auth:denied', e => {
  encoding.writeVarUint(e, messageAuth)
  authProtocol.writePermissionDenied(e, 'no access to this room')
})

// Awareness: two clients with states, one removed (null state). Clocks are set by hand so the
// bytes do not depend on how many times setLocalState ran.
const awareness = new awarenessProtocol.Awareness(doc)
awareness.setLocalState({ user: { name: 'Ada', color: '#ff0000' }, cursor: { anchor: 3, head: 5 } })
awareness.states.set(77, { user: { name: 'Zoë ✓' } })
awareness.meta.set(77, { clock: 4, lastUpdated: 0 })
awareness.states.delete(1234567)
awareness.meta.set(1234567, { clock: 9, lastUpdated: 0 })
const awarenessUpdate = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID, 77, 1234567])
emit('awareness:update', awarenessUpdate)
enc('ws:awareness', e => {
  encoding.writeVarUint(e, messageAwareness)
  encoding.writeVarUint8Array(e, awarenessUpdate)
})
awareness.destroy()

console.log(out.join('\n'))
