/**
 * One memory-by-owner reading: a crawl of the process table, attributed to owners, set against the
 * sample's used and available memory (`other` is what the listed owners do not account for: the
 * kernel, caches, small processes; `free` is the available memory). Keeps the last minutes of
 * readings for the sparklines, the stacked chart and the growth rate in the low-memory warning.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResourceSample } from './sample';
import { attribute, type AttributionOptions } from './owners';
import type { MemoryOwner, OwnersPoint, OwnersSnapshot } from './ownerTypes';
import { ProcCrawler, type ProcSource } from './procTable';

export function splitMemory(
  owners: MemoryOwner[],
  memory: ResourceSample['memory'],
  crawl: OwnersSnapshot['crawl'],
  timestamp = Date.now(),
): OwnersSnapshot {
  const listed = owners.reduce((sum, o) => sum + o.bytes, 0);
  const rest = (id: 'other' | 'free', label: string, detail: string, bytes: number): MemoryOwner => ({
    id,
    kind: id,
    label,
    detail,
    bytes,
    processes: [],
    hiddenProcesses: 0,
  });
  return {
    timestamp,
    totalBytes: memory.totalBytes,
    usedBytes: memory.usedBytes,
    availableBytes: memory.availableBytes,
    owners: [
      ...owners,
      rest(
        'other',
        'Other',
        'used memory no listed owner accounts for: smaller processes, the kernel, shared memory',
        Math.max(0, memory.usedBytes - listed),
      ),
      rest(
        'free',
        'Free',
        'available to new processes (MemAvailable, or the container limit less its usage)',
        memory.availableBytes,
      ),
    ],
    crawl,
  };
}

/** A run's name from its run.json, read once per run folder. */
function runNames(): (runDir: string, runId: string) => string | undefined {
  const names = new Map<string, string | undefined>();
  return (runDir) => {
    if (!runDir) return undefined;
    if (!names.has(runDir)) {
      let name: string | undefined;
      try {
        name = (JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { name?: unknown }).name as string;
      } catch {
        // not written yet, or not readable: the run id stands in
      }
      names.set(runDir, typeof name === 'string' ? name : undefined);
    }
    return names.get(runDir);
  };
}

export class OwnersMonitor {
  private readonly crawler: ProcCrawler;
  private readonly names = runNames();
  private points: OwnersPoint[] = [];

  constructor(
    private readonly options: Omit<AttributionOptions, 'runName'> & { historySeconds?: number } = {},
    source?: ProcSource,
  ) {
    this.crawler = new ProcCrawler(source);
  }

  /** Crawls now and sets the owners against `memory` (the latest sample's). */
  read(memory: ResourceSample['memory'], timestamp = Date.now()): OwnersSnapshot {
    const before = process.cpuUsage();
    const table = this.crawler.crawl();
    const owners = attribute(table, { ...this.options, runName: this.names });
    const used = process.cpuUsage(before);
    const snapshot = splitMemory(
      owners,
      memory,
      {
        processes: table.rows.size,
        cpuMs: (used.user + used.system) / 1000,
        pssReads: table.pssReads,
        pssDenied: table.pssDenied,
      },
      timestamp,
    );
    this.push(snapshot);
    return snapshot;
  }

  private push(snapshot: OwnersSnapshot): void {
    const bytes: Record<string, number> = {};
    for (const o of snapshot.owners) bytes[o.id] = o.bytes;
    this.points.push({ timestamp: snapshot.timestamp, bytes });
    const cutoff = snapshot.timestamp - (this.options.historySeconds ?? 300) * 1000;
    let drop = 0;
    while (drop < this.points.length && this.points[drop].timestamp < cutoff) drop++;
    if (drop > 0) this.points.splice(0, drop);
  }

  /** Closes what the crawler keeps open between crawls; the owner calls it when crawling stops for good. */
  dispose(): void {
    this.crawler.dispose();
  }

  setHistorySeconds(seconds: number): void {
    this.options.historySeconds = seconds;
  }

  history(): OwnersPoint[] {
    return [...this.points];
  }

  /** Bytes per second an owner grew over the last `windowMs` (least squares); null with too little history. */
  growth(id: string, windowMs = 30_000): number | null {
    return growthRate(this.points, id, windowMs);
  }
}

export function growthRate(points: OwnersPoint[], id: string, windowMs: number): number | null {
  const last = points.at(-1);
  if (!last) return null;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const p of points) {
    if (p.timestamp < last.timestamp - windowMs || p.bytes[id] === undefined) continue;
    xs.push((p.timestamp - last.timestamp) / 1000);
    ys.push(p.bytes[id]);
  }
  if (xs.length < 2 || xs[xs.length - 1] - xs[0] < 2) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den > 0 ? num / den : null;
}
