import type { ResourceSample } from './sample';
import { formatBytes, toGiB } from '../format';

export type Pressure = 'normal' | 'warning' | 'critical';

/** Share of memory in use, 0..100, of the total that applies (the container limit when there is one). */
export function memoryUsedPercent(sample: ResourceSample): number {
  const { totalBytes, usedBytes } = sample.memory;
  return totalBytes > 0 ? (usedBytes / totalBytes) * 100 : 0;
}

export function memoryPressure(sample: ResourceSample, warningPercent: number, errorPercent: number): Pressure {
  const used = memoryUsedPercent(sample);
  if (used >= errorPercent) return 'critical';
  return used >= warningPercent ? 'warning' : 'normal';
}

/** "CPU 37%  RAM 9.2/23.5 GiB": the status bar's text and the CLI's live line. */
export function shortSummary(sample: ResourceSample): string {
  const { usedBytes, totalBytes } = sample.memory;
  return `CPU ${Math.round(sample.cpu.percent)}%  RAM ${toGiB(usedBytes)}/${toGiB(totalBytes)} GiB`;
}

/** Markdown lines describing a sample in full: per-core load, memory, swap, GPUs. */
export function detailedSummary(sample: ResourceSample): string[] {
  const { memory, swap, cpu } = sample;
  const lines = [
    `**CPU** ${Math.round(cpu.percent)}% of ${cpu.cores.length} cores`,
    '',
    cpu.cores.map((load, i) => `\`${String(i).padStart(2)}\` ${bar(load)} ${Math.round(load)}%`).join('  \n'),
    '',
    `**Memory** ${formatBytes(memory.usedBytes)} used, ${formatBytes(memory.availableBytes)} available of ${formatBytes(memory.totalBytes)}` +
      (memory.source === 'cgroup' ? ` (container limit; host has ${formatBytes(memory.hostTotalBytes)})` : ''),
    '',
    swap.totalBytes > 0
      ? `**Swap** ${formatBytes(swap.usedBytes)} used of ${formatBytes(swap.totalBytes)}`
      : '**Swap** none configured',
  ];
  for (const gpu of sample.gpus) {
    const util = gpu.utilizationPercent === null ? 'n/a' : `${Math.round(gpu.utilizationPercent)}%`;
    const mem =
      gpu.memoryUsedBytes !== null && gpu.memoryTotalBytes !== null
        ? `, ${formatBytes(gpu.memoryUsedBytes)} of ${formatBytes(gpu.memoryTotalBytes)}`
        : '';
    lines.push('', `**GPU ${gpu.index}** ${gpu.name}: ${util}${mem}`);
  }
  return lines;
}

/** A ten-step text bar for a 0..100 load. */
function bar(percent: number): string {
  const filled = Math.round(Math.min(100, Math.max(0, percent)) / 10);
  return '▮'.repeat(filled) + '▯'.repeat(10 - filled);
}
