// Replays one op script (e.g. a failing differential seed saved by the C# tests) in yjs and
// prints the result as JSON. Usage: node tests/oracle/run-script.mjs script.json [--trace]
import { readFileSync } from 'node:fs'
import { runScript } from './scripts.mjs'

const [file, ...flags] = process.argv.slice(2)
if (file === undefined) {
  console.error('usage: node tests/oracle/run-script.mjs script.json [--trace]')
  process.exit(2)
}
const script = JSON.parse(readFileSync(file, 'utf8'))
if (flags.includes('--trace')) script.trace = true
console.log(JSON.stringify(runScript(script), null, 2))
