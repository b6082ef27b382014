import { readFile } from 'node:fs/promises';

/** A container memory limit in force for this process, and the memory charged against it. */
export interface CgroupMemory {
  limitBytes: number;
  /** Charged memory minus the reclaimable file cache, as `docker stats` reports it. */
  usedBytes: number;
}

export interface CgroupUsageFiles {
  usage: string;
  stat: string;
  /** The reclaimable file cache's key in the stat file. */
  inactiveKey: string;
}

const UNLIMITED = 2 ** 60; // cgroup v1 reports "no limit" as a huge page-aligned number

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A value of a cgroup memory.stat file, 0 when absent. */
export function statValue(stat: string | undefined, key: string): number {
  const match = stat && new RegExp(`^${key} (\\d+)$`, 'm').exec(stat);
  return match ? Number(match[1]) : 0;
}

/** This process's cgroup path, v2 (`0::/path`) or the v1 memory controller's. */
function cgroupPaths(selfCgroup: string): { v2?: string; v1?: string } {
  const paths: { v2?: string; v1?: string } = {};
  for (const line of selfCgroup.split('\n')) {
    const [, controllers, path] = line.split(':');
    if (path === undefined) continue;
    if (controllers === '') paths.v2 = path;
    else if (controllers.split(',').includes('memory')) paths.v1 = path;
  }
  return paths;
}

/**
 * The memory limit of the cgroup this process runs in (v2, then v1), or undefined when there is
 * none. Inside a container the cgroup filesystem is usually mounted at the process's own cgroup,
 * so the mount root is tried first, then the path from /proc/self/cgroup.
 */
export async function readCgroupMemory(root = '/sys/fs/cgroup'): Promise<CgroupMemory | undefined> {
  const found = await locateCgroupMemory(root);
  return found && { limitBytes: found.limitBytes, usedBytes: found.usedBytes };
}

/** readCgroupMemory, with the files the usage was read from (v2 or v1 names), for callers that re-read it often. */
export async function locateCgroupMemory(
  root = '/sys/fs/cgroup',
): Promise<(CgroupMemory & { files: CgroupUsageFiles }) | undefined> {
  const self = (await readText('/proc/self/cgroup')) ?? '';
  const { v2, v1 } = cgroupPaths(self);
  const v2Dirs = [root, v2 ? `${root}${v2}` : undefined].filter((d): d is string => !!d);
  for (const dir of v2Dirs) {
    const max = (await readText(`${dir}/memory.max`))?.trim();
    if (!max || max === 'max') continue;
    const files = { usage: `${dir}/memory.current`, stat: `${dir}/memory.stat`, inactiveKey: 'inactive_file' };
    const current = Number((await readText(files.usage))?.trim() ?? 0);
    const inactiveFile = statValue(await readText(files.stat), files.inactiveKey);
    return { limitBytes: Number(max), usedBytes: Math.max(0, current - inactiveFile), files };
  }
  const v1Dirs = [`${root}/memory`, v1 ? `${root}/memory${v1}` : undefined].filter((d): d is string => !!d);
  for (const dir of v1Dirs) {
    const limit = Number((await readText(`${dir}/memory.limit_in_bytes`))?.trim() ?? NaN);
    if (!Number.isFinite(limit) || limit >= UNLIMITED) continue;
    const files = {
      usage: `${dir}/memory.usage_in_bytes`,
      stat: `${dir}/memory.stat`,
      inactiveKey: 'total_inactive_file',
    };
    const usage = Number((await readText(files.usage))?.trim() ?? 0);
    const inactiveFile = statValue(await readText(files.stat), files.inactiveKey);
    return { limitBytes: limit, usedBytes: Math.max(0, usage - inactiveFile), files };
  }
  return undefined;
}
