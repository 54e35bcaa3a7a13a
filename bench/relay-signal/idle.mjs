// Opens N idle WebSocket connections to a signalling server, each subscribed to its own topic
// (confirmed by a ping answered after the subscribe), and holds them while the caller measures.
import WebSocket from '../../tests/oracle/node_modules/ws/wrapper.mjs'

const connectOne = (url, topic) => new Promise((resolve, reject) => {
  const socket = new WebSocket(url)
  socket.once('error', reject)
  socket.once('open', () => {
    socket.once('message', () => resolve(socket))
    socket.send(JSON.stringify({ type: 'subscribe', topics: [topic] }))
    socket.send('{"type":"ping"}')
  })
})

export async function openIdle (url, count, batch = 250) {
  const sockets = []
  for (let i = 0; i < count; i += batch) {
    const size = Math.min(batch, count - i)
    sockets.push(...await Promise.all(Array.from({ length: size }, (_, j) => connectOne(url, `idle-${i + j}`))))
  }
  return {
    count: sockets.length,
    open: () => sockets.filter((s) => s.readyState === WebSocket.OPEN).length,
    close: () => sockets.forEach((s) => s.terminate())
  }
}
