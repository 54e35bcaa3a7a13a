// Fan-out on one topic: S subscriber connections and one publisher connection (not subscribed).
// The publisher keeps at most WINDOW publishes in flight; a publish is done once all S subscribers
// have it. Latency per delivery = receive time - send time, on this process's monotonic clock.
import WebSocket from '../../tests/oracle/node_modules/ws/wrapper.mjs'

const open = (url) => new Promise((resolve, reject) => {
  const socket = new WebSocket(url)
  socket.once('open', () => resolve(socket))
  socket.once('error', reject)
})

// Resolves once the server has answered a ping sent after `message`: both servers handle one connection's messages in order.
const sendAndSettle = (socket, message) => new Promise((resolve) => {
  const onMessage = (data) => {
    if (String(data) === '{"type":"pong"}') {
      socket.off('message', onMessage)
      resolve()
    }
  }
  socket.on('message', onMessage)
  if (message) socket.send(JSON.stringify(message))
  socket.send('{"type":"ping"}')
})

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]

export async function runFanout ({ url, subscribers, publishes, window = 32, padBytes = 200 }) {
  const topic = `bench-${subscribers}-${process.hrtime.bigint()}`
  const subs = await Promise.all(Array.from({ length: subscribers }, () => open(url)))
  await Promise.all(subs.map((s) => sendAndSettle(s, { type: 'subscribe', topics: [topic] })))
  const publisher = await open(url)
  await sendAndSettle(publisher, null)

  const sentAt = new Float64Array(publishes)
  const remaining = new Int32Array(publishes).fill(subscribers)
  const latencies = new Float64Array(publishes * subscribers)
  let delivered = 0
  let completed = 0
  let next = 0
  const pad = 'x'.repeat(padBytes)
  const now = () => Number(process.hrtime.bigint()) / 1e6

  let finish
  const finished = new Promise((resolve) => { finish = resolve })
  const sendOne = () => {
    const seq = next++
    sentAt[seq] = now()
    publisher.send(`{"type":"publish","topic":"${topic}","data":{"type":"signal","seq":${seq},"from":"bench","to":"peer","signal":{"sdp":"${pad}"}}}`)
  }
  const seqPattern = /"seq":(\d+)/
  for (const sub of subs) {
    sub.on('message', (data) => {
      const match = seqPattern.exec(String(data))
      if (!match) return
      const seq = Number(match[1])
      latencies[delivered++] = now() - sentAt[seq]
      if (--remaining[seq] === 0) {
        completed++
        if (next < publishes) sendOne()
        if (completed === publishes) finish()
      }
    })
  }

  const start = now()
  while (next < Math.min(window, publishes)) sendOne()
  await finished
  const elapsedMs = now() - start

  for (const socket of [publisher, ...subs]) socket.terminate()
  const sorted = Array.from(latencies.subarray(0, delivered)).sort((a, b) => a - b)
  return {
    subscribers,
    publishes,
    deliveries: delivered,
    elapsedMs,
    deliveriesPerSecond: delivered / (elapsedMs / 1000),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99)
  }
}
