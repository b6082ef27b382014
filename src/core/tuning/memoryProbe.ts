/**
 * Memory a new trial can get now: MemAvailable, or what is left under the container's cgroup
 * limit when that is lower. Synchronous and cheap (two small /proc reads) because the memory
 * guard calls it twice a second.
 */
import { readFileSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import { locateCgroupMemory, statValue } from '../monitor/cgroup';

export interface MemoryReading {
  totalBytes: number;
  availableBytes: number;
  source: 'host' | 'cgroup';
}

let cgroup: Awaited<ReturnType<typeof locateCgroupMemory>> | null = null;

/** Finds the cgroup limit once (async, at run start); later readings re-read the files it was found in, synchronously. */
export async function initMemoryProbe(): Promise<void> {
  cgroup = await locateCgroupMemory();
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
  if (cgroup) {
    try {
      const usage = Number(readFileSync(cgroup.files.usage, 'utf8').trim());
      const inactive = statValue(readFileSync(cgroup.files.stat, 'utf8'), cgroup.files.inactiveKey);
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
