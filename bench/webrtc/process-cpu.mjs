// CPU time used by process trees (a driver and everything it started: Chromium's browser, renderer
// and network service processes, say), read from /proc. The machine the bench runs on is shared and
// noisy; CPU time per unit of work does not depend on how long a peer waited for a core, so the
// report gives it beside the wall-clock numbers.
import { readdirSync, readFileSync } from "node:fs";

// USER_HZ: /proc reports utime and stime in clock ticks, 100 per second on Linux.
const TICKS_PER_SECOND = 100;

function readStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces and parentheses: split after its last ')'.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // gone between the listing and the read
  }
}

/** Milliseconds of CPU (user + system) used so far by the processes rooted at rootPids, alive now. */
export function cpuMsOfTrees(rootPids) {
  const stats = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat) stats.set(Number(entry), stat);
  }
  const children = new Map();
  for (const [pid, { ppid }] of stats) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  let ticks = 0;
  const pending = [...rootPids];
  const seen = new Set();
  while (pending.length) {
    const pid = pending.pop();
    if (seen.has(pid) || !stats.has(pid)) continue;
    seen.add(pid);
    ticks += stats.get(pid).ticks;
    pending.push(...(children.get(pid) ?? []));
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
