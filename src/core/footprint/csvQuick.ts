/**
 * Quick mode for CSV/TSV: scans the head and evenly spaced pieces of the file in-thread (a few MiB
 * whatever the file size), extrapolates rows from bytes per row and sizes the columns from the
 * sample (per low_memory block where the pieces fall). The uncertainty comes from the spread of the
 * per-piece estimates of the total. A gzip file is inflated whole and sampled the same way (gzipSample.ts).
 */
import { type Block, sizeColumn } from './blockTypes';
import { scanSettings, type CsvPlan } from './csvPlan';
import type { CsvScanSummary } from './csvResult';
import { DistinctMerger, QUICK_DISTINCT_CAP } from './distinct';
import { K, mergeGlobals, newGlobals } from './fieldStats';
import { sampleGzip } from './gzipSample';
import { scanPieces, type SampleUnit } from './quickSample';
import { problemToError } from './scanProblems';
import { rangeIndexBytes } from './pandasSizes';
import type { PandasModel } from './types';

const PIECES = 32;
const PIECE_BYTES = 128 * 1024;
const HEAD_BYTES = 512 * 1024;

export interface QuickScan {
  /**
   * Set when the sample cannot bound the result (a record far longer than a sample piece): the caller
   * scans exactly instead, and says why. The rest of the fields are then empty.
   */
  unbounded: string | null;
  summary: CsvScanSummary;
  /** Whether the sample covered the whole file (then the result is exact). */
  complete: boolean;
  /** The +- of `estimate` (the total stated from this scan), in percent. */
  uncertaintyPercent: (model: PandasModel, estimate: number) => number;
}

/**
 * pandas infers types per low_memory block: give each estimated block the statistics of the pieces
 * sampled inside it (or of the nearest sampled piece), scaled to the block's rows.
 */
function estimateBlocks(plan: CsvPlan, units: SampleUnit[], rows: number, bytesPerRow: number): Block[] {
  const width = plan.ncols * K;
  const B = plan.blockRows;
  const sampled = units.map((u) => ({
    block: Math.floor((u.start - plan.header.dataStart) / bytesPerRow / B),
    rows: u.rows,
    stats: u.stats,
  }));
  const blocks: Block[] = [];
  const count = Math.ceil(rows / B);
  for (let b = 0; b < count && sampled.length > 0; b++) {
    const blockRows = Math.min(B, rows - b * B);
    let nearest = Infinity;
    for (const s of sampled) nearest = Math.min(nearest, Math.abs(s.block - b));
    const group = sampled.filter((s) => Math.abs(s.block - b) === nearest);
    const groupRows = group.reduce((sum, s) => sum + s.rows, 0);
    const stats = new Float64Array(width);
    for (const s of group) for (let i = 0; i < width; i++) stats[i] += s.stats[i];
    for (let i = 0; i < width; i++) stats[i] = Math.round((stats[i] * blockRows) / groupRows);
    blocks.push({ rows: blockRows, stats });
  }
  return blocks;
}

/** @param onProgress a gzip file is inflated whole: the share of its compressed bytes read so far */
export async function scanCsvQuick(
  plan: CsvPlan,
  signal?: AbortSignal,
  onProgress?: (fraction: number) => void,
): Promise<QuickScan> {
  const dataStart = plan.header.dataStart;
  // Distinct counts from a sample are lower bounds anyway: a small cap keeps the sample cheap.
  const settings = { ...scanSettings(plan, 0, null), microRows: 1 << 30, distinctCap: QUICK_DISTINCT_CAP };
  let units: SampleUnit[];
  let distinctLists: (string[] | null)[];
  let globalStats: Float64Array;
  let estimateBytes: number;
  let complete: boolean;
  if (plan.compression === 'gzip') {
    // gzip cannot seek: the whole stream is inflated, a head and spread pieces of it parsed
    const sample = await sampleGzip({
      path: plan.path,
      fileBytes: plan.fileBytes,
      dataStart,
      delimiter: plan.delimiter,
      ncols: plan.ncols,
      headBytes: HEAD_BYTES,
      pieceBytes: PIECE_BYTES,
      pieces: PIECES,
      settings,
      signal,
      onProgress,
    });
    if (sample.scanner.problem) throw await problemToError(sample.scanner.problem, plan.path, 'gzip', plan.encoding);
    if (sample.longRecordBytes !== null) return unboundedScan(plan, sample.longRecordBytes);
    complete = sample.complete;
    estimateBytes = sample.totalBytes - dataStart;
    units = sample.units;
    distinctLists = sample.distinct;
    globalStats = sample.scanner.globals;
  } else {
    const dataBytes = plan.fileBytes - dataStart;
    estimateBytes = dataBytes;
    const pieces: { start: number; end: number; first: boolean }[] = [];
    complete = dataBytes <= HEAD_BYTES + PIECES * PIECE_BYTES;
    if (complete) pieces.push({ start: dataStart, end: plan.fileBytes, first: true });
    else {
      pieces.push({ start: dataStart, end: dataStart + HEAD_BYTES, first: true });
      const span = dataBytes - HEAD_BYTES - PIECE_BYTES;
      for (let i = 1; i <= PIECES; i++) {
        const s = dataStart + HEAD_BYTES + Math.floor((span * i) / PIECES);
        pieces.push({ start: s, end: s + PIECE_BYTES, first: false });
      }
    }
    if (signal?.aborted) throw signal.reason;
    const sample = scanPieces(plan.path, pieces, settings);
    if (sample.scanner.problem) throw await problemToError(sample.scanner.problem, plan.path, null, plan.encoding);
    if (sample.longRecordBytes !== null) return unboundedScan(plan, sample.longRecordBytes);
    units = sample.units;
    distinctLists = sample.distinct;
    globalStats = sample.scanner.globals;
  }
  if (plan.indexCols > 1 && !complete) {
    return exactInstead(
      plan,
      'Quick mode scanned the whole file exactly: pandas builds a MultiIndex from its leading fields, and a sample cannot count the distinct values of its levels.',
    );
  }
  // Bytes per row from the evenly spaced pieces only: the head is not a fair sample of row length
  // (ids and counters are shorter there), the pieces spread across the file are.
  const spread = units.length > 2 ? units.slice(1) : units;
  const sampledBytes = spread.reduce((s, u) => s + (u.end - u.start), 0);
  const sampledRows = spread.reduce((s, u) => s + u.rows, 0);
  const allRows = units.reduce((s, u) => s + u.rows, 0);
  const rows = complete ? allRows : Math.round((sampledRows * estimateBytes) / Math.max(1, sampledBytes));
  const globals = newGlobals(plan.ncols);
  mergeGlobals(globals, globalStats, plan.ncols);
  const distinct = new DistinctMerger(plan.ncols, QUICK_DISTINCT_CAP);
  distinct.add(distinctLists);
  const summary: CsvScanSummary = {
    names: plan.header.names,
    indexCols: plan.indexCols,
    rows,
    blocks: estimateBlocks(plan, units, rows, sampledBytes / Math.max(1, sampledRows)),
    globals,
    distinct,
  };
  const uncertaintyPercent = (model: PandasModel, estimate: number): number => {
    if (complete) return 0;
    if (spread.length < 2) return 100;
    // Each piece is a cluster of records: ratio estimates (per byte of the file) of the memory and of
    // the rows, with their standard errors from the spread between pieces; three of them, plus how far
    // the per-block estimate stated lies from the plain ratio estimate, make the +-. Pieces of very
    // uneven records (a few long ones) widen it, as they should.
    const bytes = spread.map((u) => u.end - u.start);
    const deep = spread.map((u) => {
      let sum = 0;
      for (let c = 0; c < plan.ncols; c++) sum += sizeColumn([{ rows: u.rows, stats: u.stats }], c, model).bytes;
      return sum;
    });
    const ratioTotal = ratioOf(deep, bytes) * estimateBytes + rangeIndexBytes(model);
    const spreadShare = Math.max(
      relativeError(deep, bytes),
      relativeError(
        spread.map((u) => u.rows),
        bytes,
      ),
    );
    const share = 3 * spreadShare + Math.abs(estimate - ratioTotal) / Math.max(1, estimate);
    return Math.min(100, Math.max(0.1, Math.ceil(share * 1000) / 10));
  };
  return { unbounded: null, summary, complete, uncertaintyPercent };
}

function ratioOf(ys: number[], xs: number[]): number {
  return (
    ys.reduce((a, b) => a + b, 0) /
    Math.max(
      1,
      xs.reduce((a, b) => a + b, 0),
    )
  );
}

/** Relative standard error of the ratio estimator sum(y) / sum(x) over n clusters (x: their bytes). */
function relativeError(ys: number[], xs: number[]): number {
  const n = ys.length;
  const r = ratioOf(ys, xs);
  if (r <= 0) return 0;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const ss = ys.reduce((a, y, i) => a + (y - r * xs[i]) ** 2, 0);
  return Math.sqrt(ss / (n * (n - 1))) / (meanX * r);
}

function unboundedScan(plan: CsvPlan, recordBytes: number): QuickScan {
  const mib = (recordBytes / 2 ** 20).toFixed(recordBytes < 2 ** 20 ? 2 : 0);
  return exactInstead(
    plan,
    `Quick mode scanned the whole file exactly: it holds a record of more than ${mib} MiB, far longer than the sample's pieces, so a sample could not bound its rows or its size.`,
  );
}

/** A quick scan that cannot bound its result: the caller scans exactly and says `why`. */
function exactInstead(plan: CsvPlan, why: string): QuickScan {
  return {
    unbounded: why,
    summary: {
      names: plan.header.names,
      indexCols: plan.indexCols,
      rows: 0,
      blocks: [],
      globals: newGlobals(plan.ncols),
      distinct: new DistinctMerger(plan.ncols, QUICK_DISTINCT_CAP),
    },
    complete: false,
    uncertaintyPercent: () => 100,
  };
}
