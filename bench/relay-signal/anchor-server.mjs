// Starts y-webrtc's own signalling server (npm y-webrtc 10.3.0, bin/server.js, unmodified) as the
// bench anchor, bound to 127.0.0.1 only: bin/server.js calls server.listen(port) on every
// interface, so http.Server#listen is wrapped to add the loopback host before it is imported.
// Usage: PORT=4444 node bench/relay-signal/anchor-server.mjs   (after `npm ci` in tests/oracle)
import http from 'node:http'

const listen = http.Server.prototype.listen
http.Server.prototype.listen = function (port, ...rest) {
  return typeof port === 'number' || typeof port === 'string'
    ? listen.call(this, Number(port), '127.0.0.1', ...rest)
    : listen.call(this, port, ...rest)
}

// y-webrtc's package exports do not expose bin/, so it is imported by path from the oracle's node_modules.
await import(new URL('../../tests/oracle/node_modules/y-webrtc/bin/server.js', import.meta.url).href)
