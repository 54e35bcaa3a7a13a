// Prints golden values produced by y-webrtc 10.3.0's own crypto module (src/crypto.js) and
// lib0 0.2.120's writeAny, for the C# tests of our y-webrtc room code.
// Run: node tests/oracle/ywebrtc-golden.mjs > /tmp/ywebrtc-golden.txt
// The output lines are C# dictionary entries; paste them into
// tests/P2PSync.Node.Tests/Transport/WebRtc/YWebRtc/YWebRtcGoldenData.cs. Each name is used by a
// test in YWebRtcGoldenTests.cs that rebuilds the same bytes in C#; keep the two in step.
//
// encrypt() draws its IV from crypto.getRandomValues; for byte-exact goldens the IV is pinned
// here by replacing that one function while the golden is made (the module itself is unchanged).
import * as encoding from 'lib0/encoding'
// Not an export of the package: imported by path, unchanged.
import * as cryptoutils from './node_modules/y-webrtc/src/crypto.js'

const hex = bytes => Buffer.from(bytes).toString('hex')
const b64 = bytes => Buffer.from(bytes).toString('base64')
const out = []
const emit = (name, value) => out.push(`        ["${name}"] = "${value}",`)

const realRandom = crypto.getRandomValues.bind(crypto)
const withIv = async (iv, work) => {
  crypto.getRandomValues = (array) => { array.set(iv); return array }
  try { return await work() } finally { crypto.getRandomValues = realRandom }
}
const ivOf = (seed) => Uint8Array.from({ length: 12 }, (_, i) => (seed * 31 + i * 7) & 0xff)

// Keys: PBKDF2-SHA256, 100000 iterations, salt = room name, 256-bit AES-GCM key.
const keys = [
  ['key.simple', 'secret', 'room-1'],
  ['key.unicode', 'pässwörd 🔑', 'räum ☃'],
  ['key.empty-room', 'p', ''],
]
const derived = {}
for (const [name, password, room] of keys) {
  const key = await cryptoutils.deriveKey(password, room)
  derived[name] = key
  emit(name, hex(new Uint8Array(await crypto.subtle.exportKey('raw', key))))
}

// lib0 writeAny of the JSON y-webrtc publishes (plain rooms send these objects as they are).
const payloads = {
  'any.announce': { type: 'announce', from: '2f1b0c4e-8d7a-4c3b-9e21-5a6f7b8c9d0e' },
  'any.offer': { to: 'b', from: 'a', type: 'signal', token: 1763812345678.9146, signal: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } },
  'any.candidate': { to: 'b', from: 'a', type: 'signal', token: 1763812345678.25, signal: { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 2122260223 10.78.1.1 50000 typ host', sdpMLineIndex: 0, sdpMid: '0' } } },
  'any.numbers': { small: 5, negative: -70, big: 2147483648, half: 0.5, third: 1 / 3, list: [true, false, null, 'x'], nested: { deep: [] } },
}
for (const [name, value] of Object.entries(payloads)) {
  const encoder = encoding.createEncoder()
  encoding.writeAny(encoder, value)
  emit(name, hex(encoding.toUint8Array(encoder)))
  emit(name + '.json', Buffer.from(JSON.stringify(value)).toString('base64'))
}

// encryptJson with a pinned IV, base64 as y-webrtc publishes it (buffer.toBase64).
let seed = 1
for (const keyName of Object.keys(derived)) {
  for (const payloadName of ['any.announce', 'any.offer']) {
    const sealed = await withIv(ivOf(seed), () => cryptoutils.encryptJson(payloads[payloadName], derived[keyName]))
    emit(`sealed.${keyName}.${payloadName}.iv${seed}`, b64(sealed))
    seed++
  }
}
// One sealed with a random IV as y-webrtc really does it (decrypt-only golden).
emit('sealed.random-iv.key.simple.any.candidate', b64(await cryptoutils.encryptJson(payloads['any.candidate'], derived['key.simple'])))

console.log(out.join('\n'))
