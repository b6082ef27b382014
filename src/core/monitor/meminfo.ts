/**
 * The host's memory and swap from Linux's /proc/meminfo: the figures systeminformation's mem() takes
 * from the same file, read here so that a reading on Linux does not load that 330 KB library (most
 * of `headroom footprint`'s start-up on a small file went to it, for one number: available memory).
 */
import { readFile } from 'node:fs/promises';

/** What the sampler needs of the host: systeminformation's mem() fields of the same names. */
export interface HostMemory {
  total: number;
  available: number;
  swaptotal: number;
  swapused: number;
}

/** Parses /proc/meminfo (values in kB); undefined when it has no MemTotal. */
export function parseMeminfo(text: string): HostMemory | undefined {
  const bytes = new Map<string, number>();
  for (const m of text.matchAll(/^([\w()]+):\s+(\d+)/gm)) bytes.set(m[1], Number(m[2]) * 1024);
  const get = (key: string) => bytes.get(key) ?? 0;
  const total = get('MemTotal');
  if (total === 0) return undefined;
  // Kernels before 3.14 have no MemAvailable: free memory plus the caches the kernel can drop, as
  // systeminformation estimates it.
  const available = get('MemAvailable') || get('MemFree') + get('Buffers') + get('Cached') + get('Slab');
  const swaptotal = get('SwapTotal');
  return { total, available, swaptotal, swapused: swaptotal - get('SwapFree') };
}

/** /proc/meminfo's figures; undefined off Linux or when the file cannot be read. */
export async function readMeminfo(path = '/proc/meminfo'): Promise<HostMemory | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    return parseMeminfo(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}
