// One unmodified y-webrtc WebrtcProvider (npm y-webrtc 10.3.0) whose signalling goes through the
// relay under test; used by tests/P2PSync.Relay.Tests/Signalling/YWebrtcInteropTests.cs.
// Usage: node ywebrtc-signal-peer.mjs SIGNAL_URL ROOM OTHER_PEERS TIMEOUT_MS [PASSWORD]
//
// Node has no WebRTC, and y-webrtc opens a simple-peer RTCPeerConnection as soon as it hears an
// announce. So the provider gets, through its public `peerOpts.wrtc` option, a signalling-only
// RTCPeerConnection below: it makes an offer/answer whose SDP names this peer, records the remote
// SDP it is given, and never opens a network connection. Everything y-webrtc sends and receives
// (subscribe, announce, offer, answer; encrypted when PASSWORD is given) crosses the relay as usual.
//
// Waits until it has (a) a connected signalling connection, (b) a `peers` event for OTHER_PEERS
// distinct peers and (c) a remote SDP from each of them; then prints one JSON line
// {"peerId","connected","peers":[...],"sdpFrom":[...]} and stays in the room until stdin closes
// (so slower peers still get its answers). Exits 3 on timeout with what it saw on stderr.
import * as Y from 'yjs'
import { WebrtcProvider } from 'y-webrtc'
import WebSocket from 'ws'

// lib0's WebSocket client uses the global WebSocket, which Node 20 does not have.
globalThis.WebSocket = WebSocket

const [signalUrl, room, othersText, timeoutText, password] = process.argv.slice(2)
const others = Number(othersText)
const sdpFrom = new Set()
const peers = new Set()
let provider = null

const ownSdp = (type) => `v=0\r\no=${provider.room.peerId} 1 1 IN IP4 0.0.0.0\r\ns=${type}\r\n`

class SignalOnlyPeerConnection {
  constructor () {
    this.localDescription = null
    this.remoteDescription = null
    this.signalingState = 'stable'
    this.iceConnectionState = 'new'
    this.iceGatheringState = 'new'
    this.connectionState = 'new'
  }

  createDataChannel (label) {
    return { label, readyState: 'connecting', close () {}, send () {} }
  }

  async createOffer () { return { type: 'offer', sdp: ownSdp('offer') } }
  async createAnswer () { return { type: 'answer', sdp: ownSdp('answer') } }
  async setLocalDescription (description) { this.localDescription = description }

  async setRemoteDescription (description) {
    this.remoteDescription = description
    const origin = /o=(\S+) /.exec(description.sdp)
    if (origin) sdpFrom.add(origin[1])
  }

  async addIceCandidate () {}
  getStats () { return Promise.resolve(new Map()) }
  getTransceivers () { return [] }
  close () {}
}

const wrtc = {
  RTCPeerConnection: SignalOnlyPeerConnection,
  RTCSessionDescription: class { constructor (init) { Object.assign(this, init) } },
  RTCIceCandidate: class { constructor (init) { Object.assign(this, init) } }
}

const doc = new Y.Doc()
provider = new WebrtcProvider(room, doc, {
  signaling: [signalUrl],
  password: password || null,
  peerOpts: { wrtc }
})
provider.on('peers', ({ added }) => added.forEach((id) => peers.add(id)))

const connected = () => provider.signalingConns.length === 1 && provider.signalingConns[0].connected
const done = () => connected() && peers.size >= others && sdpFrom.size >= others
const describe = () => JSON.stringify({ peerId: provider.room.peerId, connected: connected(), peers: [...peers], sdpFrom: [...sdpFrom] })

const timer = setTimeout(() => {
  console.error(`timed out: ${describe()}`)
  process.exit(3)
}, Number(timeoutText))

while (!done()) {
  await new Promise((resolve) => setTimeout(resolve, 20))
}
clearTimeout(timer)
console.log(describe())
process.stdin.resume()
process.stdin.on('end', () => {
  provider.destroy()
  process.exit(0)
})
