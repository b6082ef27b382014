/**
 * Quick mode for CSV/TSV: scans the head and evenly spaced pieces of the file in-thread (a few MiB
 * whatever the file size), extrapolates rows from bytes per row and sizes the columns from the
 * sample (per low_memory block where the pieces fall). The uncertainty is twice the standard error
 * of the per-piece estimates of the total (gzip: of the head's micro-blocks, as it cannot seek).
 */
import { type Block, sizeColumn } from './blockTypes';
import { scanSettings, type CsvPlan } from './csvPlan';
import type { CsvScanSummary } from './csvResult';
import { DistinctMerger, QUICK_DISTINCT_CAP } from './distinct';
import { K, mergeGlobals, newGlobals } from './fieldStats';
import { scanRange } from './rangeScan';
import { scanPieces, type SampleUnit } from './quickSample';
import { problemToError } from './scanProblems';
import { rangeIndexBytes } from './pandasSizes';
import type { PandasModel } from './types';

const PIECES = 32;
const PIECE_BYTES = 128 * 1024;
const HEAD_BYTES = 512 * 1024;

export interface QuickScan {
  summary: CsvScanSummary;
  /** Whether the sample covered the whole file (then the result is exact). */
  complete: boolean;
  uncertaintyPercent: (model: PandasModel) => number;
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

export async function scanCsvQuick(plan: CsvPlan, signal?: AbortSignal): Promise<QuickScan> {
  const dataStart = plan.header.dataStart;
  const width = plan.ncols * K;
  // Distinct counts from a sample are lower bounds anyway: a small cap keeps the sample cheap.
  const settings = { ...scanSettings(plan, 0, null), microRows: 1 << 30, distinctCap: QUICK_DISTINCT_CAP };
  let units: SampleUnit[];
  let distinctLists: (string[] | null)[];
  let globalStats: Float64Array;
  let estimateBytes: number;
  let complete: boolean;
  if (plan.compression === 'gzip') {
    // gzip cannot seek: sample the head; its micro-blocks are the units of the uncertainty.
    const end = dataStart + HEAD_BYTES * 16;
    const r = await scanRange(
      {
        type: 'scan-range',
        path: plan.path,
        compression: 'gzip',
        start: dataStart,
        end,
        speculative: false,
        settings: { ...settings, microRows: 1024 },
      },
      signal,
    );
    if (r.problem) throw await problemToError(r.problem, plan.path, plan.compression, plan.encoding);
    complete = r.end < end;
    estimateBytes = complete ? r.end - dataStart : (r.end * plan.fileBytes) / Math.max(1, r.bytesRead) - dataStart;
    units = r.microRowCounts.map((rows, i) => ({
      start: r.microStarts[i],
      end: r.microStarts[i + 1] ?? r.end,
      rows,
      stats: r.microStats.slice(i * width, (i + 1) * width),
    }));
    distinctLists = r.distinct;
    globalStats = r.globals;
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
    units = sample.units;
    distinctLists = sample.distinct;
    globalStats = sample.scanner.globals;
  }
  // Bytes per row from the evenly spaced pieces only: the head is not a fair sample of row length
  // (ids and counters are shorter there), the pieces spread across the file are.
  const spread = plan.compression === null && units.length > 2 ? units.slice(1) : units;
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
    indexCol: plan.indexCol,
    rows,
    blocks: estimateBlocks(plan, units, rows, sampledBytes / Math.max(1, sampledRows)),
    globals,
    distinct,
  };
  const uncertaintyPercent = (model: PandasModel): number => {
    if (complete) return 0;
    // Each unit alone estimates the total; twice the standard error of their mean is the +-.
    const totals = spread.map((u) => {
      let deep = 0;
      for (let c = 0; c < plan.ncols; c++) deep += sizeColumn([{ rows: u.rows, stats: u.stats }], c, model).bytes;
      return (deep / (u.end - u.start)) * estimateBytes + rangeIndexBytes(model);
    });
    if (totals.length < 2) return 100;
    const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
    const variance = totals.reduce((a, t) => a + (t - mean) ** 2, 0) / (totals.length - 1);
    const se = Math.sqrt(variance / totals.length);
    return Math.max(0.1, Math.round(((200 * se) / Math.max(1, mean)) * 10) / 10);
  };
  return { summary, complete, uncertaintyPercent };
}
