// Fan-out on one topic: S subscriber connections and one publisher connection (not subscribed).
// The publisher keeps at most WINDOW publishes in flight; a publish is done once all S subscribers
// have it. Latency per delivery = receive time - send time, on this process's monotonic clock.
// The connections are lean raw sockets (raw-socket.mjs), so the servers, not this process, set the pace;
// the load process's own CPU time is returned so a saturated load side shows in the report.
import { openRaw, textFrame } from './raw-socket.mjs'

const PONG = Buffer.from('{"type":"pong"}')
const SEQ = Buffer.from('"seq":')

// Reads the decimal after "seq": in a frame's payload; -1 when the frame has none.
const seqOf = (buffer, start, end) => {
  const at = buffer.indexOf(SEQ, start)
  if (at < 0 || at >= end) return -1
  let value = 0
  for (let i = at + SEQ.length; i < end && buffer[i] >= 48 && buffer[i] <= 57; i++) value = value * 10 + buffer[i] - 48
  return value
}

// Opens a connection whose frames go to `handler`, sends `message` (if any) and a ping, and
// resolves once the pong is back: both servers handle one connection's messages in order.
async function openSettled (url, message, handler) {
  let settled
  const pong = new Promise((resolve) => { settled = resolve })
  let ready = false
  const client = await openRaw(url, (buffer, start, end) => {
    if (!ready) {
      if (end - start === PONG.length && buffer.compare(PONG, 0, PONG.length, start, end) === 0) {
        ready = true
        settled()
      }
      return
    }
    handler(buffer, start, end)
  })
  if (message) client.send(textFrame(JSON.stringify(message)))
  client.send(textFrame('{"type":"ping"}'))
  await pong
  return client
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]

export async function runFanout ({ url, subscribers, publishes, window = 32, padBytes = 200 }) {
  const topic = `bench-${subscribers}-${process.hrtime.bigint()}`
  const sentAt = new Float64Array(publishes)
  const remaining = new Int32Array(publishes).fill(subscribers)
  const latencies = new Float64Array(publishes * subscribers)
  let delivered = 0
  let completed = 0
  let next = 0
  const pad = 'x'.repeat(padBytes)
  const now = () => Number(process.hrtime.bigint()) / 1e6

  let finish, fail
  const finished = new Promise((resolve, reject) => { finish = resolve; fail = reject })
  let publisher
  const sendOne = () => {
    const seq = next++
    sentAt[seq] = now()
    publisher.send(textFrame(`{"type":"publish","topic":"${topic}","data":{"type":"signal","seq":${seq},"from":"bench","to":"peer","signal":{"sdp":"${pad}"}}}`))
  }
  const onDelivery = (buffer, start, end) => {
    const seq = seqOf(buffer, start, end)
    if (seq < 0) return
    latencies[delivered++] = now() - sentAt[seq]
    if (--remaining[seq] === 0) {
      completed++
      if (next < publishes) sendOne()
      if (completed === publishes) finish()
    }
  }
  const subs = await Promise.all(Array.from({ length: subscribers }, () => openSettled(url, { type: 'subscribe', topics: [topic] }, onDelivery)))
  publisher = await openSettled(url, null, () => {})

  const cpuBefore = process.cpuUsage()
  const start = now()
  while (next < Math.min(window, publishes)) sendOne()
  // A server that closes a connection (slow consumer, a limit) would leave the run waiting forever.
  let seen = -1
  const watchdog = setInterval(() => {
    if (completed === seen) fail(new Error(`no progress for 10 s at ${completed}/${publishes} publishes (S=${subscribers}); did the server close a connection?`))
    seen = completed
  }, 10000)
  try {
    await finished
  } finally {
    clearInterval(watchdog)
  }
  const elapsedMs = now() - start

  const cpu = process.cpuUsage(cpuBefore)
  for (const client of [publisher, ...subs]) client.close()
  const sorted = Array.from(latencies.subarray(0, delivered)).sort((a, b) => a - b)
  return {
    subscribers,
    publishes,
    deliveries: delivered,
    elapsedMs,
    loadCpuMs: (cpu.user + cpu.system) / 1000,
    deliveriesPerSecond: delivered / (elapsedMs / 1000),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99)
  }
}
