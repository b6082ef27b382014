/**
 * Memory a new trial can get now: MemAvailable, or what is left under the container's cgroup
 * limit when that is lower. Synchronous and cheap (two small /proc reads) because the memory
 * guard calls it twice a second.
 */
import { readFileSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import { readCgroupMemory, type CgroupMemory } from '../monitor/cgroup';

export interface MemoryReading {
  totalBytes: number;
  availableBytes: number;
  source: 'host' | 'cgroup';
}

let cgroup: CgroupMemory | undefined | null = null;
let cgroupDirs: { usage: string; stat: string; statKey: string } | null = null;

/** Finds the cgroup limit once (async, at run start); later readings reuse its files synchronously. */
export async function initMemoryProbe(): Promise<void> {
  cgroup = await readCgroupMemory();
  if (!cgroup) return;
  for (const [usage, stat, statKey] of [
    ['/sys/fs/cgroup/memory.current', '/sys/fs/cgroup/memory.stat', 'inactive_file'],
    ['/sys/fs/cgroup/memory/memory.usage_in_bytes', '/sys/fs/cgroup/memory/memory.stat', 'total_inactive_file'],
  ]) {
    try {
      readFileSync(usage);
      cgroupDirs = { usage, stat, statKey };
      return;
    } catch {
      // not this layout
    }
  }
}

function meminfo(): { total: number; available: number } {
  try {
    const text = readFileSync('/proc/meminfo', 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
    const available = kb('MemAvailable');
    return { total: kb('MemTotal'), available: Number.isFinite(available) ? available : freemem() };
  } catch {
    return { total: totalmem(), available: freemem() };
  }
}

export function readAvailableMemory(): MemoryReading {
  const host = meminfo();
  if (cgroup && cgroupDirs) {
    try {
      const usage = Number(readFileSync(cgroupDirs.usage, 'utf8').trim());
      const stat = readFileSync(cgroupDirs.stat, 'utf8');
      const inactive = Number(new RegExp(`^${cgroupDirs.statKey} (\\d+)$`, 'm').exec(stat)?.[1] ?? 0);
      const left = cgroup.limitBytes - Math.max(0, usage - inactive);
      if (left < host.available)
        return { totalBytes: cgroup.limitBytes, availableBytes: Math.max(0, left), source: 'cgroup' };
    } catch {
      // fall through to the host reading
    }
  }
  return { totalBytes: host.total, availableBytes: host.available, source: 'host' };
}

/** What the engine never hands to trials: 10% of memory, at least 256 MiB, at most 2 GiB. */
export function defaultReserve(totalBytes: number): number {
  return Math.min(2 * 1024 ** 3, Math.max(256 * 1024 ** 2, Math.round(totalBytes * 0.1)));
}

/** Resident set of one process from /proc/<pid>/statm (idle objective workers). */
export function processRss(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096;
  } catch {
    return 0;
  }
}
