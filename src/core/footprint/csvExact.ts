/**
 * Exact mode for CSV/TSV: splits the file into byte ranges scanned in parallel by the worker pool
 * (gzip: one worker streams it), validates the range chain (a range that guessed its first line
 * start wrongly, e.g. inside a quoted newline, is rescanned from where its predecessor stopped), and
 * rebuilds pandas' low_memory blocks from the micro-block statistics.
 */
import type { FootprintWorkerResult, FootprintWorkerTask } from '../../protocol';
import type { Block } from './blockTypes';
import { scanSettings, type CsvPlan } from './csvPlan';
import type { CsvScanSummary } from './csvResult';
import { DistinctMerger } from './distinct';
import { K, mergeGlobals, newGlobals } from './fieldStats';
import { getPool } from './pool';
import { scanRange } from './rangeScan';
import { problemToError } from './scanProblems';
import { FootprintError } from './types';

/** Files below this are scanned in-thread: starting workers would cost more than it saves. */
const IN_THREAD_BYTES = 8 * 1024 * 1024;
/** The first range of a parallel scan, alone: enough rows for most columns to reach the distinct cap. */
const PROBE_BYTES = 16 * 1024 * 1024;

export interface ExactOptions {
  workers: number;
  nrows: number | null;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

type Runner = (task: FootprintWorkerTask) => Promise<FootprintWorkerResult>;

function cancelled(): FootprintError {
  return new FootprintError('cancelled', 'The analysis was cancelled.');
}

function makeRunner(plan: CsvPlan, opts: ExactOptions, parallel: boolean): Runner {
  const pool = parallel ? getPool(opts.workers) : null;
  if (pool === null) return (task) => scanRange(task, opts.signal);
  return async (task) => {
    try {
      return await pool.run(task, { signal: opts.signal ?? null });
    } catch (error) {
      if (opts.signal?.aborted) throw cancelled();
      throw error;
    }
  };
}

export async function scanCsvExact(plan: CsvPlan, opts: ExactOptions): Promise<CsvScanSummary> {
  const dataStart = plan.header.dataStart;
  const dataBytes = Math.max(0, plan.fileBytes - dataStart);
  const sequential =
    plan.compression === 'gzip' || opts.nrows !== null || dataBytes <= IN_THREAD_BYTES || opts.workers <= 1;
  // Big files scan in the pool even with one worker or nrows, so the caller's thread stays free.
  const usePool = plan.compression === 'gzip' ? plan.fileBytes > IN_THREAD_BYTES / 4 : dataBytes > IN_THREAD_BYTES;
  const run = makeRunner(plan, opts, usePool);
  // Columns a finished range found high-cardinality: the ranges started later skip their distinct
  // values (most of the cost of a high-cardinality column is filling its set up to the cap).
  const skipDistinct = new Array<number>(plan.ncols).fill(0);
  const noteHighCardinality = (r: FootprintWorkerResult) => {
    r.distinct.forEach((list, col) => {
      if (list === null) skipDistinct[col] = 1;
    });
    return r;
  };
  const task = (start: number, end: number, speculative: boolean, firstRow: number | null): FootprintWorkerTask => ({
    type: 'scan-range',
    path: plan.path,
    compression: plan.compression,
    start,
    end,
    speculative,
    settings: { ...scanSettings(plan, firstRow, opts.nrows), skipDistinct: [...skipDistinct] },
  });
  let results: FootprintWorkerResult[];
  let done = 0;
  const progress = (r: FootprintWorkerResult) => {
    done += r.bytesRead;
    opts.onProgress?.(Math.min(1, done / Math.max(1, plan.compression ? plan.fileBytes : dataBytes)));
    return r;
  };
  if (sequential) {
    results = [progress(await run(task(dataStart, Infinity, false, 0)))];
  } else {
    // Eight ranges a worker: the lanes end within a small range of each other. A small first range
    // runs alone: it finds most high-cardinality columns, so that no two workers fill the sets of such
    // columns (up to the cap, the bulk of a scan's memory) at the same time.
    const chunk = Math.min(256 << 20, Math.max(IN_THREAD_BYTES, Math.ceil(dataBytes / (opts.workers * 8))));
    const bounds: [number, number][] = [[dataStart, Math.min(plan.fileBytes, dataStart + PROBE_BYTES)]];
    for (let s = bounds[0][1]; s < plan.fileBytes; s += chunk) bounds.push([s, Math.min(plan.fileBytes, s + chunk)]);
    const scan = async (i: number) => {
      const [s, e] = bounds[i];
      return noteHighCardinality(progress(await run(task(s, e, i > 0, i === 0 ? 0 : null))));
    };
    const first = await scan(0);
    const rest = await inLanes(bounds.length - 1, Math.max(1, opts.workers), (i) => scan(i + 1));
    results = [first, ...rest];
    // Validate the chain: each range must start where its predecessor stopped.
    let expected = dataStart;
    let rowsBefore = 0;
    for (let i = 0; i < results.length; i++) {
      if (opts.signal?.aborted) throw cancelled();
      let r = results[i];
      if (r.start !== expected) {
        const end = bounds[i][1];
        r =
          expected >= end
            ? { ...emptyResult(expected), microStats: new Float64Array(0) }
            : await run(task(expected, end, false, rowsBefore));
        results[i] = r;
      }
      if (r.problem) break;
      expected = r.end;
      rowsBefore += r.rows;
    }
  }
  for (const r of results) {
    if (r.problem) throw await problemToError(r.problem, plan.path, plan.compression, plan.encoding);
  }
  return mergeRanges(plan, results, run, opts);
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

function emptyResult(at: number): FootprintWorkerResult {
  return {
    type: 'range-result',
    start: at,
    end: at,
    rows: 0,
    microRowCounts: [],
    microStarts: [],
    microStats: new Float64Array(0),
    globals: new Float64Array(0),
    distinct: [],
    problem: null,
    bytesRead: 0,
  };
}

/**
 * Sums micro-blocks into pandas' blocks. A micro-block that straddles a block boundary (its range
 * started at a row unknown to the worker) is rescanned with its absolute row, in the pool.
 */
async function mergeRanges(
  plan: CsvPlan,
  results: FootprintWorkerResult[],
  run: Runner,
  opts: ExactOptions,
): Promise<CsvScanSummary> {
  const B = plan.blockRows;
  const width = plan.ncols * K;
  const blocks: Block[] = [];
  const globals = newGlobals(plan.ncols);
  const distinct = new DistinctMerger(plan.ncols, 65_536);
  const addTo = (row: number, rows: number, stats: Float64Array, offset: number) => {
    const b = Math.floor(row / B);
    while (blocks.length <= b) blocks.push({ rows: 0, stats: new Float64Array(width) });
    const block = blocks[b];
    block.rows += rows;
    for (let i = 0; i < width; i++) block.stats[i] += stats[offset + i];
  };
  const rescans: Promise<void>[] = [];
  let row = 0;
  for (const r of results) {
    if (r.rows === 0) continue;
    mergeGlobals(globals, r.globals, plan.ncols);
    distinct.add(r.distinct);
    for (let m = 0; m < r.microRowCounts.length; m++) {
      const rows = r.microRowCounts[m];
      if (Math.floor(row / B) === Math.floor((row + rows - 1) / B)) addTo(row, rows, r.microStats, m * width);
      else {
        const first = row;
        // only its micro-block statistics are used: no distinct values to track
        const skipDistinct = new Array<number>(plan.ncols).fill(1);
        const settings = { ...scanSettings(plan, first, rows), microRows: B, skipDistinct };
        rescans.push(
          run({
            type: 'scan-range',
            path: plan.path,
            compression: plan.compression,
            start: r.microStarts[m],
            end: Infinity,
            speculative: false,
            settings,
          }).then((again) => {
            let at = first;
            for (let j = 0; j < again.microRowCounts.length; j++) {
              addTo(at, again.microRowCounts[j], again.microStats, j * width);
              at += again.microRowCounts[j];
            }
          }),
        );
      }
      row += rows;
    }
  }
  await Promise.all(rescans);
  if (opts.signal?.aborted) throw cancelled();
  return { names: plan.header.names, indexCol: plan.indexCol, rows: row, blocks, globals, distinct };
}
