// Starts and stops the two signalling servers under test, each on a free 127.0.0.1 port.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import WebSocket from '../../tests/oracle/node_modules/ws/wrapper.mjs'

const here = path.dirname(new URL(import.meta.url).pathname)

const freePort = () => new Promise((resolve) => {
  const server = net.createServer()
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address()
    server.close(() => resolve(port))
  })
})

const answersPing = (url) => new Promise((resolve) => {
  const socket = new WebSocket(url)
  socket.once('error', () => resolve(false))
  socket.once('open', () => socket.send('{"type":"ping"}'))
  socket.once('message', () => { socket.terminate(); resolve(true) })
})

async function waitUntilReady (url, child, what) {
  const deadline = Date.now() + 30000
  while (!(await answersPing(url))) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`)
    if (Date.now() > deadline) throw new Error(`${what} did not answer on ${url}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function start (what, command, args, env, urlOf) {
  const port = await freePort()
  const child = spawn(command, args(port), { env: { ...process.env, ...env(port) }, stdio: ['ignore', 'ignore', 'inherit'] })
  const url = urlOf(port)
  await waitUntilReady(url, child, what)
  return {
    url,
    pid: child.pid,
    stop: () => new Promise((resolve) => {
      child.once('exit', resolve)
      child.kill('SIGTERM')
    })
  }
}

/** y-webrtc's bin/server.js (unmodified, via anchor-server.mjs which binds it to 127.0.0.1). */
export const startAnchor = () => start('anchor', process.execPath, () => [path.join(here, 'anchor-server.mjs')],
  (port) => ({ PORT: String(port) }), (port) => `ws://127.0.0.1:${port}`)

/**
 * Our relay's Release build; per-IP and per-connection rate limits raised, since all load comes from this one process.
 * extraEnv: runtime switches for a variant run (e.g. inline socket scheduling).
 */
export async function startOurs (relayDll, extraEnv = {}) {
  const data = mkdtempSync(path.join(os.tmpdir(), 'relay-signal-bench-'))
  const server = await start('our relay', 'dotnet', (port) => [relayDll, '--urls', `http://127.0.0.1:${port}`, '--data', data],
    () => ({
      ASPNETCORE_ENVIRONMENT: 'Production',
      Logging__LogLevel__Default: 'Warning',
      Signal__ConnectsPerWindow: '1000000',
      Signal__MessagesPerSecond: '1000000',
      Signal__MessageBurst: '1000000',
      ...extraEnv
    }),
    (port) => `ws://127.0.0.1:${port}/signal`)
  return { ...server, stop: async () => { await server.stop(); rmSync(data, { recursive: true, force: true }) } }
}
