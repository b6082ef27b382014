/**
 * Exact mode for CSV/TSV: splits the file into byte ranges scanned in parallel by the worker pool
 * (gzip: one worker streams it), validates the range chain (a range that guessed its first line
 * start wrongly, e.g. inside a quoted newline, is rescanned from where its predecessor stopped), and
 * rebuilds pandas' low_memory blocks from the micro-block statistics.
 */
import { setMaxListeners } from 'node:events';
import type { FootprintWorkerResult, FootprintWorkerTask, KnownDistinct } from './workerProtocol';
import { knownDistinct } from './distinct';
import { scanSettings, type CsvPlan } from './csvPlan';
import type { CsvScanSummary } from './csvResult';
import { K } from './fieldStats';
import { emptyMicroStats } from './microBlocks';
import { getPool } from './pool';
import { RangeMerger, type Runner } from './rangeMerger';
import { scanRange } from './rangeScan';
import { problemToError } from './scanProblems';
import { cancelledError } from './types';

/** Files below this are scanned in-thread: starting workers would cost more than it saves. */
export const IN_THREAD_BYTES = 8 * 1024 * 1024;
/** The first range of a parallel scan, alone: enough rows for most columns to reach the distinct cap. */
const PROBE_BYTES = 16 * 1024 * 1024;

export interface ExactOptions {
  workers: number;
  nrows: number | null;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/**
 * @param tasks the signal the pool's tasks listen to: the scan's own, one listener per task in flight
 *   (ranges and block-boundary rescans, dozens on a big file), so the caller's signal holds one.
 */
function makeRunner(opts: ExactOptions, parallel: boolean, tasks: AbortSignal): Runner {
  const pool = parallel ? getPool(opts.workers) : null;
  if (pool === null) return (task) => scanRange(task, opts.signal);
  return async (task) => {
    try {
      // (a range task always comes back as a range result)
      return (await pool.run(task, { signal: tasks })) as FootprintWorkerResult;
    } catch (error) {
      if (opts.signal?.aborted) throw cancelledError();
      throw error;
    }
  };
}

export async function scanCsvExact(plan: CsvPlan, opts: ExactOptions): Promise<CsvScanSummary> {
  const scope = new AbortController();
  // every task in flight listens to it; they remove their listeners as they end
  setMaxListeners(0, scope.signal);
  const forward = () => scope.abort();
  opts.signal?.addEventListener('abort', forward, { once: true });
  if (opts.signal?.aborted) scope.abort();
  try {
    return await scanWith(plan, opts, scope.signal);
  } finally {
    opts.signal?.removeEventListener('abort', forward);
  }
}

async function scanWith(plan: CsvPlan, opts: ExactOptions, tasks: AbortSignal): Promise<CsvScanSummary> {
  const dataStart = plan.header.dataStart;
  const dataBytes = Math.max(0, plan.fileBytes - dataStart);
  const sequential =
    plan.compression === 'gzip' || opts.nrows !== null || dataBytes <= IN_THREAD_BYTES || opts.workers <= 1;
  // Big files scan in the pool even with one worker or nrows, so the caller's thread stays free.
  const usePool = plan.compression === 'gzip' ? plan.fileBytes > IN_THREAD_BYTES / 4 : dataBytes > IN_THREAD_BYTES;
  const run = makeRunner(opts, usePool, tasks);
  // Columns a finished range found high-cardinality: the ranges started later skip their distinct
  // values (most of the cost of a high-cardinality column is filling its set up to the cap).
  const skipDistinct = new Array<number>(plan.ncols).fill(0);
  const noteHighCardinality = (r: FootprintWorkerResult) => {
    r.distinct.forEach((list, col) => {
      if (list === null) skipDistinct[col] = 1;
    });
    return r;
  };
  // the probe's values of its columns of many, for the ranges after it
  let known: KnownDistinct[] = [];
  const task = (start: number, end: number, speculative: boolean, firstRow: number | null): FootprintWorkerTask => ({
    type: 'scan-range',
    path: plan.path,
    compression: plan.compression,
    start,
    end,
    speculative,
    distinctLists: true,
    settings: { ...scanSettings(plan, firstRow, opts.nrows), skipDistinct: [...skipDistinct], knownDistinct: known },
  });
  let done = 0;
  const progress = (r: FootprintWorkerResult) => {
    done += r.bytesRead;
    opts.onProgress?.(Math.min(1, done / Math.max(1, plan.compression ? plan.fileBytes : dataBytes)));
    return r;
  };
  const merger = new RangeMerger(plan, run, opts.signal, skipDistinct);
  let problem: FootprintWorkerResult['problem'];
  if (sequential) {
    const r = progress(await run(task(dataStart, Infinity, false, 0)));
    problem = r.problem;
    if (!problem) merger.add(r);
  } else {
    // A small first range runs alone: it finds most high-cardinality columns, so that no two workers
    // fill the sets of such columns (up to the cap, the bulk of a scan's memory) at the same time.
    // Meanwhile an empty range starts the next worker and its kernel. Then ranges that shrink as the
    // file runs out (rangeBounds): the lanes end within a small range of each other.
    const probeEnd = Math.min(plan.fileBytes, dataStart + PROBE_BYTES);
    const bounds: [number, number][] = [
      [dataStart, probeEnd],
      ...rangeBounds(probeEnd, plan.fileBytes, opts.workers, maxRangeBytes(plan.microRows, dataBytes, opts.workers)),
    ];
    const arrived = bounds.map(() => deferred<FootprintWorkerResult>());
    const scan = async (i: number) => {
      const [s, e] = bounds[i];
      const r = noteHighCardinality(progress(await run(task(s, e, i > 0, i === 0 ? 0 : null))));
      if (i === 0) known = knownDistinct(r.distinct);
      arrived[i].resolve(r);
      return r;
    };
    const probe = scan(0);
    // (a warm-up that fails changes nothing: the ranges report their own failures). None when the
    // probe is the only range: a kernel set up for nothing costs ~1 KB a column (a wide file's 100 MB).
    const warmUp =
      bounds.length > 1 ? run(task(dataStart, dataStart, false, 0)).catch(() => null) : Promise.resolve(null);
    await probe;
    const lanes = inLanes(bounds.length - 1, Math.max(1, opts.workers), (i) => scan(i + 1));
    // Ranges are merged in file order as they arrive, so that the rescans of micro-blocks straddling a
    // block boundary run alongside the later ranges, not after the last one. Each range must start where
    // its predecessor stopped; one that guessed its first record wrongly is scanned again from there.
    const chain = async () => {
      let expected = dataStart;
      let rowsBefore = 0;
      for (let i = 0; i < bounds.length; i++) {
        let r = await Promise.race([arrived[i].promise, lanes.then(() => arrived[i].promise)]);
        if (opts.signal?.aborted) throw cancelledError();
        if (r.start !== expected) {
          const end = bounds[i][1];
          r = expected >= end ? emptyResult(expected, plan.ncols) : await run(task(expected, end, false, rowsBefore));
        }
        if (r.problem) return r.problem;
        merger.add(r);
        expected = r.end;
        rowsBefore += r.rows;
      }
      return null;
    };
    [problem] = await Promise.all([chain(), lanes, warmUp]);
  }
  if (problem) throw await problemToError(problem, plan.path, plan.compression, plan.encoding);
  return merger.finish();
}

/** The largest range a worker takes (a big file's first ranges). */
const MAX_RANGE_BYTES = 256 << 20;
/** Micro-block statistics a range may send back, at most, before its size is held back. */
export const MICRO_STATS_BUDGET = 32 << 20;

/**
 * The largest range of a file. A range sends back up to K numbers a column for every micro-block: with
 * many columns (micro-blocks of a few rows), a big range's statistics would outweigh its bytes. Where
 * they could pass MICRO_STATS_BUDGET (counting one byte a field, the least a field takes), a range is
 * no bigger than an equal share, 1/(8 * workers) of the file (IN_THREAD_BYTES at least).
 */
export function maxRangeBytes(microRows: number, dataBytes: number, workers: number): number {
  const statsPerByte = (K * 8) / microRows;
  const equalShare = Math.ceil(dataBytes / (workers * 8));
  // (a whole number of bytes: the ranges' bounds are file offsets that reads are given)
  return Math.min(
    MAX_RANGE_BYTES,
    Math.max(IN_THREAD_BYTES, equalShare, Math.floor(MICRO_STATS_BUDGET / statsPerByte)),
  );
}

/**
 * The ranges of [start, end) for `workers` lanes: each takes 1/(workers + 1) of what is left, within
 * IN_THREAD_BYTES and `maxBytes` (maxRangeBytes). Big early ranges pay each range's fixed costs (a
 * kernel's setup, its low-cardinality sets built again, the distinct values sent back and merged)
 * fewer times and find a column past the distinct cap on their own; small late ones keep the lanes'
 * ends close. (Sixteen equal ranges for two workers instead: the mixed 584 MB file took 2-4% more wall
 * and 1-2.5% more CPU, in two sets of alternating runs.)
 */
export function rangeBounds(start: number, end: number, workers: number, maxBytes: number): [number, number][] {
  const bounds: [number, number][] = [];
  for (let s = start; s < end;) {
    const left = end - s;
    let size = Math.min(maxBytes, Math.max(IN_THREAD_BYTES, Math.ceil(left / (workers + 1))));
    // (a last sliver joins the range before it)
    if (left - size < IN_THREAD_BYTES / 2) size = left;
    bounds.push([s, s + size]);
    s += size;
  }
  return bounds;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Runs tasks 0..count-1 in order, `lanes` at a time, so that each starts knowing what the earlier ones found. */
async function inLanes<T>(count: number, lanes: number, start: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < count) {
      const i = next++;
      try {
        results[i] = await start(i);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, count) }, lane));
  return results;
}

function emptyResult(at: number, ncols: number): FootprintWorkerResult {
  return {
    type: 'range-result',
    start: at,
    end: at,
    rows: 0,
    microRowCounts: [],
    microStarts: [],
    microStats: emptyMicroStats(ncols),
    globals: new Float64Array(0),
    distinct: [],
    problem: null,
    bytesRead: 0,
  };
}
