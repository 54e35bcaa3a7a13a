// Reads a server process's resident memory and CPU time from /proc (Linux).
import { readFileSync } from 'node:fs'

const TICKS_PER_SECOND = 100

export const rssKiB = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1])

export const cpuMs = (pid) => {
  // Fields after the command name "(...)": utime is the 12th, stime the 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 1000 / TICKS_PER_SECOND
}
