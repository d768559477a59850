// CPU time and resident memory of a process tree, from /proc (Linux only; the benchmark machine).
import { readdirSync, readFileSync } from "node:fs";

const CLOCK_TICKS = 100;
const PAGE_BYTES = 4096;

function stat(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces; fields follow the last ")".
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** `root` and all its descendants that are alive now. */
export function treePids(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const fields = stat(pid);
    const ppid = Number(fields?.[1]);
    if (!fields || !Number.isInteger(ppid)) continue;
    parents.set(ppid, [...(parents.get(ppid) ?? []), pid]);
  }
  const found = [root];
  for (let i = 0; i < found.length; i++) found.push(...(parents.get(found[i] ?? -1) ?? []));
  return found;
}

/** User + system CPU seconds consumed so far by these processes. */
export function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const fields = stat(pid);
    if (fields) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / CLOCK_TICKS;
}

/** Resident set size, summed over these processes. */
export function rssBytes(pids: number[]): number {
  let pages = 0;
  for (const pid of pids) {
    const fields = stat(pid);
    if (fields) pages += Number(fields[21]);
  }
  return pages * PAGE_BYTES;
}
