/** `headroom monitor --by-owner`: the memory-by-owner split per interval, as a table or JSON lines. */
import { formatBytes, toGiB } from '../core/format';
import { OwnersMonitor } from '../core/monitor/ownersMonitor';
import type { OwnersSnapshot } from '../core/monitor/ownerTypes';
import { ResourceSampler } from '../core/monitor/sampler';

export async function byOwner(intervalMs: number, count: number, json: boolean, top: number): Promise<number> {
  if (process.platform !== 'linux') {
    console.error('headroom monitor: --by-owner reads /proc, which only Linux has');
    return 1;
  }
  const sampler = new ResourceSampler({ warn: (message) => console.error(`headroom monitor: ${message}`) });
  const owners = new OwnersMonitor({ topOthers: top });
  const live = !json && process.stdout.isTTY;
  let stopped = false;
  const stop = () => (stopped = true);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for (let taken = 0; taken < count && !stopped; taken++) {
    if (taken > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
    if (stopped) break;
    const sample = await sampler.sample('status');
    const snapshot = owners.read(sample.memory, sample.timestamp);
    if (json) process.stdout.write(JSON.stringify(snapshot) + '\n');
    else
      process.stdout.write(
        (live ? '\x1b[H\x1b[2J' : taken > 0 ? '\n' : '') + table(snapshot, owners).join('\n') + '\n',
      );
  }
  return 0;
}

/** The split as aligned text: label, bytes, measure, processes, growth, detail. */
export function table(snapshot: OwnersSnapshot, monitor?: OwnersMonitor): string[] {
  const { crawl } = snapshot;
  const head =
    `${new Date(snapshot.timestamp).toLocaleTimeString()}  RAM ${toGiB(snapshot.usedBytes)}/${toGiB(snapshot.totalBytes)} GiB used, ` +
    `${formatBytes(snapshot.availableBytes)} available  (${crawl.processes} processes crawled in ${crawl.cpuMs.toFixed(1)} ms CPU)`;
  const width = Math.min(48, Math.max(...snapshot.owners.map((o) => o.label.length)));
  const rows = snapshot.owners.map((o) => {
    const count = o.processes.length + o.hiddenProcesses;
    const growth = monitor?.growth(o.id);
    const trend =
      growth === null || growth === undefined || Math.abs(growth) < 1024 * 1024
        ? ''
        : `${growth > 0 ? '+' : '-'}${formatBytes(Math.abs(growth))}/s`;
    return [
      `  ${o.label.slice(0, width).padEnd(width)}`,
      formatBytes(o.bytes).padStart(10),
      (o.measure ? o.measure.toUpperCase() : '').padEnd(5),
      (o.kind === 'other' || o.kind === 'free' ? '' : `${count} process${count === 1 ? '' : 'es'}`).padEnd(13),
      trend.padEnd(12),
      o.detail.slice(0, 80),
    ].join('  ');
  });
  return [
    head,
    ...rows,
    '  PSS: shared pages split between the processes sharing them; RSS: resident pages, shared ones counted in each.',
  ];
}
