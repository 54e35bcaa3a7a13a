// A headless Chromium tab running the unmodified npm yjs 13.6.33 + y-webrtc 10.3.0 (with its
// simple-peer 9.11.1 browser bundle), for tests/P2PSync.Interop.Tests/YWebRtc. The page and the npm
// files are served from 127.0.0.1 of the namespace this runs in: a real origin, so crypto.subtle
// (y-webrtc's room password) works. No bundler: an import map points the bare specifiers at the
// packages' own ESM files (resolved from their package.json "exports", browser conditions first),
// and y-webrtc's `import Peer from 'simple-peer/simplepeer.min.js'` (a UMD bundle with no ESM
// export) at a two-line module that re-exports the global the bundle defines when loaded as a
// classic script. Every package file is served as it is on disk.
//
// Control protocol (JSON lines, like webrtc-chromium-peer.mjs; docs/dev/webrtc-harness.md):
//   {"id":N,"cmd":"join","signaling":"ws://...","room":"...","password":null|"..."} -> {peerId}
//   {"id":N,"cmd":"insert","index":I,"text":"..."}  -> {}        (into Y.Text "text")
//   {"id":N,"cmd":"text"}                           -> {text}
//   {"id":N,"cmd":"leave"}                          -> {}        (provider.destroy())
// events: ready {driver, version}, text {text} after every document update, peers {added, removed,
// webrtcPeers, bcPeers}, synced {synced}, error {message}.
// Env: P2PSYNC_CHROMIUM (default /usr/bin/chromium); P2PSYNC_CHROMIUM_MDNS=on keeps mDNS host names.
import http from 'node:http'
import readline from 'node:readline'
import { readFileSync, existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const executablePath = process.env.P2PSYNC_CHROMIUM || '/usr/bin/chromium'
const hideIpsWithMdns = process.env.P2PSYNC_CHROMIUM_MDNS === 'on'
const modules = path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules')

const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n')

// The file a package export resolves to in a browser (conditions: browser, module, import, default).
function resolveExport (target) {
  if (typeof target === 'string') return target
  for (const condition of ['browser', 'module', 'import', 'default']) {
    if (target && target[condition] !== undefined) {
      const resolved = resolveExport(target[condition])
      if (resolved) return resolved
    }
  }
  return null
}

function importsOf (pkg) {
  const manifest = JSON.parse(readFileSync(path.join(modules, pkg, 'package.json'), 'utf8'))
  const entries = {}
  // An "exports" of conditions only (no "./" keys) is the package's "." entry.
  const exports = Object.keys(manifest.exports || {}).some((key) => key.startsWith('.')) ? manifest.exports : { '.': manifest.exports }
  for (const [key, target] of Object.entries(exports)) {
    if (key.includes('*') || key.endsWith('.json')) continue
    const file = resolveExport(target)
    if (!file || !/\.m?js$/.test(file)) continue
    const specifier = key === '.' ? pkg : `${pkg}/${key.slice(2)}`
    entries[specifier] = `/node_modules/${pkg}/${file.slice(2)}`
  }
  return entries
}

const importMap = {
  imports: {
    ...importsOf('lib0'),
    ...importsOf('isomorphic.js'),
    ...importsOf('y-protocols'),
    ...importsOf('yjs'),
    ...importsOf('y-webrtc'),
    'simple-peer/simplepeer.min.js': '/shim/simple-peer.mjs'
  }
}
// lib0 files import a few of their siblings as 'lib0/x.js'.
for (const [specifier, url] of Object.entries(importMap.imports)) {
  if (specifier.startsWith('lib0/') && !specifier.endsWith('.js')) importMap.imports[`${specifier}.js`] = url
}

const page = `<!doctype html><meta charset="utf-8"><title>y-webrtc peer</title>
<script type="importmap">${JSON.stringify(importMap)}</script>
<script src="/node_modules/simple-peer/simplepeer.min.js"></script>
<script type="module">
import * as Y from 'yjs'
import { WebrtcProvider } from 'y-webrtc'
let doc = null
let provider = null
const emit = (event) => window.harnessEmit(event)
window.harness = {
  async join ({ signaling, room, password }) {
    if (provider) throw new Error('already in a room')
    doc = new Y.Doc()
    const text = doc.getText('text')
    doc.on('update', () => emit({ event: 'text', text: text.toString() }))
    // iceServers: [] keeps Chromium off the network beyond our namespace (simple-peer's default
    // config names public STUN servers); everything else is y-webrtc's and simple-peer's default.
    provider = new WebrtcProvider(room, doc, { signaling: [signaling], password: password || null, peerOpts: { config: { iceServers: [] } } })
    provider.on('peers', (e) => emit({ event: 'peers', added: e.added, removed: e.removed, webrtcPeers: e.webrtcPeers, bcPeers: e.bcPeers }))
    provider.on('synced', (e) => emit({ event: 'synced', synced: e.synced }))
    await provider.key
    for (let i = 0; i < 100 && !provider.room; i++) await new Promise((resolve) => setTimeout(resolve, 20))
    return { peerId: provider.room ? provider.room.peerId : null }
  },
  insert ({ index, text }) { doc.getText('text').insert(index, text); return {} },
  text () { return { text: doc ? doc.getText('text').toString() : '' } },
  leave () { if (provider) provider.destroy(); provider = null; return {} }
}
window.harnessReady = true
</script>`

const shim = 'export default globalThis.SimplePeer\n'

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1')
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(page)
    return
  }
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204)
    res.end()
    return
  }
  if (url.pathname === '/shim/simple-peer.mjs') {
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' })
    res.end(shim)
    return
  }
  if (url.pathname.startsWith('/node_modules/')) {
    // Only files inside node_modules, never above it.
    const file = path.normalize(path.join(modules, decodeURIComponent(url.pathname.slice('/node_modules/'.length))))
    if (file.startsWith(modules + path.sep) && existsSync(file) && statSync(file).isFile()) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' })
      res.end(readFileSync(file))
      return
    }
  }
  res.writeHead(404)
  res.end()
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))

const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync']
if (!hideIpsWithMdns) args.push('--disable-features=WebRtcHideLocalIpsWithMdns')

let browser
async function shutdown (code) {
  try {
    if (browser) await browser.close()
  } finally {
    server.close()
    process.exit(code)
  }
}

try {
  browser = await chromium.launch({ executablePath, headless: true, args })
  const tab = await browser.newPage()
  await tab.exposeFunction('harnessEmit', (event) => emit(event))
  tab.on('pageerror', (e) => emit({ event: 'error', message: `page: ${e.message}` }))
  tab.on('console', (m) => { if (m.type() === 'error') emit({ event: 'error', message: `console: ${m.text()}` }) })
  await tab.goto(`http://127.0.0.1:${server.address().port}/`)
  await tab.waitForFunction(() => window.harnessReady === true, null, { timeout: 15000 })

  const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
  let queue = Promise.resolve()
  input.on('line', (line) => {
    if (line.trim() === '') return
    queue = queue.then(async () => {
      let cmd
      try {
        cmd = JSON.parse(line)
      } catch (e) {
        emit({ reply: null, ok: false, error: `not JSON: ${e.message}` })
        return
      }
      try {
        if (!['join', 'insert', 'text', 'leave'].includes(cmd.cmd)) throw new Error(`unknown command ${cmd.cmd}`)
        const result = await tab.evaluate(([name, c]) => window.harness[name](c), [cmd.cmd, cmd])
        emit({ reply: cmd.id, ok: true, result })
      } catch (e) {
        emit({ reply: cmd.id ?? null, ok: false, error: e.message })
      }
    })
  })
  input.on('close', () => queue.finally(() => shutdown(0)))
  process.on('SIGTERM', () => shutdown(0))
  emit({ event: 'ready', driver: 'chromium-ywebrtc', version: browser.version() })
} catch (e) {
  emit({ event: 'error', message: `could not start Chromium: ${e.message}` })
  await shutdown(1)
}
