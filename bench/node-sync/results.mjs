// Loads what run.sh left in its work folder, for report.mjs and spaces-report.mjs:
//   WORK/env.json, WORK/round-N/{anchor,ours,baseline}.json (sync-bench.mjs output),
//   WORK/round-N/{ours,baseline}-one-node.json, -fresh-devices.jsonl (one {connectMs,
//   caughtUpMs, durableMs} a line, from the fresh node's API), -fresh-devices-w.json (how many
//   fresh nodes stayed connected to the warm-up node W after both removed each other),
//   -records.json (record-stats.mjs).
// and summarises a metric over the rounds (median, min, max), ratios taken within each round
// first (both sides of a ratio then saw the same machine load).

import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'))
const readOptional = (file) => (existsSync(file) ? readJson(file) : undefined)

export const medianOf = (values) => {
  const sorted = [...values].sort((x, y) => x - y)
  return sorted.length === 0 ? undefined : sorted[Math.ceil(sorted.length / 2) - 1]
}

const round3 = (x) => Number(x.toFixed(3))

// The fresh-node runs become `freshDevice` of the implementation's result, in the shape the
// anchor's fresh client has (`initialSync`), so one metric path reads both.
const withFreshDevices = (result, file) => {
  if (result === undefined || !existsSync(file)) return result
  const devices = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l))
  if (devices.length === 0) return result
  const totals = devices.map((d) => round3(d.connectMs + d.caughtUpMs))
  const durable = devices.map((d) => round3(d.connectMs + d.durableMs))
  return {
    ...result,
    freshDevice: {
      runs: totals,
      medianMs: medianOf(totals),
      durableRuns: durable,
      durableMedianMs: medianOf(durable),
      connectMedianMs: round3(medianOf(devices.map((d) => d.connectMs)))
    }
  }
}

export const loadWork = (work) => {
  const env = readJson(join(work, 'env.json'))
  const roundDirs = readdirSync(work)
    .filter((name) => /^round-\d+$/.test(name))
    .sort((x, y) => Number(x.slice(6)) - Number(y.slice(6)))
  if (roundDirs.length === 0) throw new Error(`no round-N folders in ${work}`)
  const rounds = roundDirs.map((name) => {
    const dir = join(work, name)
    const anchor = readJson(join(dir, 'anchor.json'))
    anchor.freshDevice = anchor.initialSync // the anchor's device is a fresh client
    const implementation = (label) => withFreshDevices(readOptional(join(dir, `${label}.json`)), join(dir, `${label}-fresh-devices.jsonl`))
    return {
      name,
      anchor,
      ours: implementation('ours'),
      baseline: implementation('baseline'),
      oursOneNode: readOptional(join(dir, 'ours-one-node.json')),
      baselineOneNode: readOptional(join(dir, 'baseline-one-node.json')),
      oursRecords: readOptional(join(dir, 'ours-records.json')),
      oursStillConnectedToW: readOptional(join(dir, 'ours-fresh-devices-w.json'))?.stillConnectedToW,
      baselineStillConnectedToW: readOptional(join(dir, 'baseline-fresh-devices-w.json'))?.stillConnectedToW,
      baselineRecords: readOptional(join(dir, 'baseline-records.json'))
    }
  })
  return { env, rounds }
}

export const get = (obj, path) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj)

// Bigger is better for "ours": other/ours for times, ours/other for rates.
export const ratioOf = (other, ours, lowerIsBetter) => {
  if (other === undefined || ours === undefined || other === 0 || ours === 0) return undefined
  return lowerIsBetter ? other / ours : ours / other
}

// {median, min, max, n} of the defined values, or undefined when there are none.
export const summary = (values) => {
  const defined = values.filter((v) => v !== undefined && v !== null && Number.isFinite(v))
  if (defined.length === 0) return undefined
  return { median: medianOf(defined), min: Math.min(...defined), max: Math.max(...defined), n: defined.length }
}

const trim = (x) => Number(x.toPrecision(4))

// "12.3 ms" for one round, "12.3 ms (10.1-15.2)" over several.
export const formatSummary = (s, unit) => {
  if (s === undefined) return 'n/a'
  const range = s.n > 1 ? ` (${trim(s.min)}-${trim(s.max)})` : ''
  return `${trim(s.median)}${unit}${range}`
}

export const formatRatio = (s) => {
  if (s === undefined) return 'n/a'
  const range = s.n > 1 ? ` (${s.min.toFixed(2)}-${s.max.toFixed(2)})` : ''
  return `${s.median.toFixed(2)}x${range}`
}
