/**
 * The piscina pool that runs footprint range scans and Parquet column reads. Created lazily on the
 * first exact scan of a big file; the worker script is workers/footprint.js in dist/ (../distDir.ts:
 * the extension's, next to the CLI, or the repository's for tests). Without a built worker the
 * engine scans in-thread.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Piscina } from 'piscina';
import { findInDist } from '../distDir';
import { compiledKernel } from './scanKernel';
import type {
  FootprintWorkerData,
  FootprintWorkerResult,
  FootprintWorkerTask,
  ParquetColumnResult,
  ParquetColumnTask,
} from './workerProtocol';

/** What the footprint workers run: CSV range scans and Parquet column reads. */
export type FootprintPoolTask = FootprintWorkerTask | ParquetColumnTask;
export type FootprintPoolResult = FootprintWorkerResult | ParquetColumnResult;

let pool: Piscina<FootprintPoolTask, FootprintPoolResult> | null = null;
let poolThreads = 0;

export function footprintWorkerPath(): string | null {
  return findInDist(join('workers', 'footprint.js'));
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** The pool, grown to `threads` if asked for more than it has; null when no worker script is built. */
export function getPool(threads: number): Piscina<FootprintPoolTask, FootprintPoolResult> | null {
  const filename = footprintWorkerPath();
  if (filename === null) return null;
  if (pool && poolThreads >= threads) return pool;
  if (pool) void pool.destroy();
  poolThreads = threads;
  // Required here, not imported: a file small enough to scan in-thread (every CLI call on one) never
  // loads piscina (a bundle of its own, scripts/bundles.mjs) and its worker_threads machinery.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Piscina: Pool } = require('piscina') as typeof import('piscina');
  pool = new Pool<FootprintPoolTask, FootprintPoolResult>({
    filename,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: 30_000,
    name: 'default',
    workerData: { scanKernel: compiledKernel() } satisfies FootprintWorkerData,
    // A scan holds a 1 MiB buffer and capped statistics: small heaps keep the peak RSS bounded.
    resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 },
  });
  return pool;
}

/** Shuts the worker threads down (extension deactivate, CLI exit, tests). */
export async function closeFootprintPool(): Promise<void> {
  const p = pool;
  pool = null;
  poolThreads = 0;
  if (p) await p.destroy();
}
