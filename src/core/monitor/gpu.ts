import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { GpuSample } from './sample';

const QUERY = 'index,name,utilization.gpu,memory.total,memory.used,temperature.gpu';
const MiB = 1024 * 1024;

/** Finds nvidia-smi on PATH (and its usual Linux home); undefined when this machine has none. */
export async function findNvidiaSmi(pathEnv = process.env.PATH ?? ''): Promise<string | undefined> {
  const name = process.platform === 'win32' ? 'nvidia-smi.exe' : 'nvidia-smi';
  const dirs = [...pathEnv.split(delimiter).filter(Boolean), '/usr/bin', '/usr/local/nvidia/bin'];
  for (const dir of dirs) {
    try {
      await access(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

const number = (text: string | undefined): number | null => {
  const value = Number.parseFloat(text ?? '');
  return Number.isFinite(value) ? value : null;
};

/** Parses `nvidia-smi --query-gpu=<QUERY> --format=csv,noheader,nounits`; "[N/A]" fields become null. */
export function parseNvidiaSmi(csv: string): GpuSample[] {
  return csv
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [index, name, util, memTotal, memUsed, temp] = line.split(',').map((f) => f.trim());
      const total = number(memTotal);
      const used = number(memUsed);
      return {
        index: number(index) ?? 0,
        name: name ?? 'GPU',
        utilizationPercent: number(util),
        memoryTotalBytes: total === null ? null : total * MiB,
        memoryUsedBytes: used === null ? null : used * MiB,
        temperatureC: number(temp),
      };
    });
}

/**
 * Reads NVIDIA GPUs with one asynchronous nvidia-smi query. systeminformation's graphics() covers
 * the same figures but also runs lspci, clinfo and xrandr and calls nvidia-smi synchronously, which
 * would stall the extension host on every sample; it also drops NVIDIA data when lspci is missing,
 * as in many containers.
 */
export function queryNvidiaGpus(nvidiaSmi: string, timeoutMs = 5000): Promise<GpuSample[]> {
  // Required when a query runs: status-only sampling (headroom footprint's available memory) never
  // loads child_process.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { execFile } = require('node:child_process') as typeof import('node:child_process');
  return new Promise((resolve, reject) => {
    execFile(
      nvidiaSmi,
      [`--query-gpu=${QUERY}`, '--format=csv,noheader,nounits'],
      { timeout: timeoutMs, windowsHide: true },
      (error, stdout) => (error ? reject(error) : resolve(parseNvidiaSmi(stdout))),
    );
  });
}
