/**
 * A trial's whole process tree on Linux: who belongs to it (children, grandchildren, and anything
 * still in its session after being re-parented), what it holds (RSS and PSS from smaps_rollup,
 * summed), how much CPU it used, and how to kill all of it. Elsewhere only the root is visible.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture Node supports.
const PAGE_BYTES = 4096;

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
  state: string;
  /** utime + stime of the process itself, milliseconds. */
  cpuMs: number;
  /** cutime + cstime: CPU of children it has already reaped. */
  childCpuMs: number;
  rssBytes: number;
  /** Start time in clock ticks since boot: with the pid, it names one process even after the pid is reused. */
  startTicks: number;
}

export interface TreeSample {
  pids: number[];
  rssBytes: number;
  /** Null where /proc/<pid>/smaps_rollup is unavailable (not Linux, or too old a kernel) for every member. */
  pssBytes: number | null;
  cpuMs: number;
  /** Members whose memory was read (the root left out when asked). */
  measured: number;
  /** A member was caught exiting: its memory reads as nearly nothing, so the sample is no peak. */
  exiting: boolean;
}

export function parseStat(text: string): ProcInfo | undefined {
  // The command name is in parentheses and may itself contain spaces and parentheses.
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  const f = text.slice(close + 2).split(' ');
  const tick = 1000 / TICKS_PER_SECOND;
  return {
    pid,
    state: f[0],
    ppid: Number(f[1]),
    pgrp: Number(f[2]),
    session: Number(f[3]),
    cpuMs: (Number(f[11]) + Number(f[12])) * tick,
    childCpuMs: (Number(f[13]) + Number(f[14])) * tick,
    rssBytes: Number(f[21]) * PAGE_BYTES,
    startTicks: Number(f[19]),
  };
}

function readStat(pid: number): ProcInfo | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The pids in /proc (its numeric entries); empty where there is no /proc. */
export function procPids(): number[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const name of names) {
    const code = name.charCodeAt(0);
    if (code >= 48 && code <= 57) out.push(Number(name));
  }
  return out;
}

/** Every process this user can see, from /proc; empty where there is no /proc. */
export function listProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const pid of procPids()) {
    const info = readStat(pid);
    if (info) out.push(info);
  }
  return out;
}

/** The root and all its descendants; processes of the root's session or group count too (daemonised helpers). */
export function treeOf(rootPid: number, table: ProcInfo[]): ProcInfo[] {
  const byParent = new Map<number, ProcInfo[]>();
  for (const p of table) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const members = new Map<number, ProcInfo>();
  const root = table.find((p) => p.pid === rootPid);
  const stack = root ? [root] : [];
  for (const p of table) if (p.pid !== rootPid && (p.session === rootPid || p.pgrp === rootPid)) stack.push(p);
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (members.has(p.pid)) continue;
    members.set(p.pid, p);
    for (const child of byParent.get(p.pid) ?? []) stack.push(child);
  }
  return [...members.values()].filter((p) => p.state !== 'Z');
}

/** RSS and PSS from /proc/<pid>/smaps_rollup; undefined when it cannot be read (gone, EACCES, old kernel). */
export function rollup(pid: number): { rss: number; pss: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const rss = /^Rss:\s+(\d+) kB/m.exec(text);
    const pss = /^Pss:\s+(\d+) kB/m.exec(text);
    if (!rss || !pss) return undefined;
    return { rss: Number(rss[1]) * 1024, pss: Number(pss[1]) * 1024 };
  } catch {
    return undefined;
  }
}

/** The root and its descendants via /proc/<pid>/task/<tid>/children: no scan of all of /proc. */
export function quickTreeTable(rootPid: number): ProcInfo[] {
  const out: ProcInfo[] = [];
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    const info = readStat(pid);
    if (!info) continue;
    out.push(info);
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' '))
          if (c.trim()) stack.push(Number(c));
      } catch {
        // thread gone
      }
    }
  }
  return out;
}

/**
 * Memory and CPU of the tree rooted at `rootPid` now. `rootMemory: false` leaves out the root's own
 * memory (the trial supervisor's, which is not the trial's). A member found exiting (its address
 * space already released, or a zombie) reads as nearly nothing: the sample is then marked `exiting`
 * and must not become a peak.
 */
export function sampleTree(rootPid: number, table: ProcInfo[] = listProcesses(), rootMemory = true): TreeSample {
  const members = treeOf(rootPid, table);
  let rssBytes = 0;
  let pssBytes = 0;
  let rollups = 0;
  let cpuMs = 0;
  let measured = 0;
  let exiting = false;
  for (const p of members) {
    cpuMs += p.cpuMs + (p.pid === rootPid ? p.childCpuMs : 0);
    if (!rootMemory && p.pid === rootPid) continue;
    const r = rollup(p.pid);
    const after = readStat(p.pid);
    if (!after || after.state === 'Z' || after.state === 'X' || after.rssBytes === 0) {
      exiting = exiting || after !== undefined || r !== undefined;
      continue;
    }
    measured++;
    rssBytes += r?.rss ?? after.rssBytes;
    pssBytes += r?.pss ?? after.rssBytes;
    if (r) rollups++;
  }
  return {
    pids: members.map((p) => p.pid),
    rssBytes,
    pssBytes: rollups > 0 ? pssBytes : null,
    cpuMs,
    measured,
    exiting,
  };
}

/**
 * Kills the process group and every known member of the tree (members that moved to a group of
 * their own are killed by pid). Safe to call on processes that are already gone.
 */
export function killTree(rootPid: number, signal: NodeJS.Signals = 'SIGKILL', knownPids: number[] = []): void {
  const pids = new Set<number>(knownPids);
  for (const p of treeOf(rootPid, listProcesses())) pids.add(p.pid);
  try {
    process.kill(-rootPid, signal);
  } catch {
    // group already gone
  }
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** True while the process runs; a zombie (killed, not yet reaped by its parent) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return readStat(pid)?.state !== 'Z';
}
