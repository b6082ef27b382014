/**
 * Plans for frames that do not fit: how many rows (sample fraction) and how many workers fit in the
 * memory available, and, when even one planned frame does not fit, which columns to leave out
 * (usecols=) or how many rows to stream at a time (chunksize=).
 *
 * The model: the process that loads the frame holds one copy, and each worker beyond the first
 * holds its own (joblib/loky with n_jobs=N runs N worker processes next to the parent; n_jobs=1
 * runs in the parent). Only `1 - safetyMargin` of the available memory is planned for, leaving
 * room for the model's own arrays and for the parser's buffers.
 */
import type { DowncastPlan } from './advice';

export interface Environment {
  /** Memory a new process can get now (the monitor's memory.availableBytes). */
  availableBytes: number;
  /** Workers that will each hold a copy (n_jobs); default: cores. */
  workers?: number;
  /** Logical cores (what n_jobs=-1 means). */
  cores: number;
  /** Share of the available memory kept free; default 0.2. */
  safetyMargin?: number;
}

export interface SubsamplePlan {
  availableBytes: number;
  budgetBytes: number;
  safetyMargin: number;
  workers: number;
  /** Copies held at once with `workers` workers: the loading process, plus one per worker when workers > 1. */
  copies: number;
  /** Bytes of one planned frame at full size. */
  frameBytes: number;
  /** Largest share of rows (0..1, two significant digits, rounded down) that fits with `workers` workers; 1 when all fit. */
  sampleFraction: number;
  /** About how many bytes one copy at that fraction holds. */
  sampleFrameBytes: number;
  /** Largest n_jobs (at most the core count) whose copies of the full planned frame fit; 0 when not even one copy fits. */
  maxWorkersFullSize: number;
}

export interface UsecolsOption {
  /** Columns kept, in file order, and the heaviest ones left out. */
  keep: string[];
  drop: string[];
  bytes: number;
}

export interface ChunkOption {
  chunksize: number;
  /** About how many bytes one chunk holds. */
  chunkBytes: number;
}

export interface FitPlan {
  budgetBytes: number;
  /** Whether one planned frame fits in the budget. */
  fits: boolean;
  usecols: UsecolsOption | null;
  chunks: ChunkOption | null;
}

const DEFAULT_MARGIN = 0.2;

export function copiesFor(workers: number): number {
  return workers <= 1 ? 1 : workers + 1;
}

/** Rounds down to two significant digits, so the stated fraction never overshoots. */
function floorTwoDigits(x: number): number {
  if (x <= 0) return 0;
  const scale = 10 ** (1 - Math.floor(Math.log10(x)));
  return Math.floor(x * scale) / scale;
}

function budget(env: Environment): { budgetBytes: number; margin: number } {
  const margin = Math.min(0.9, Math.max(0, env.safetyMargin ?? DEFAULT_MARGIN));
  return { budgetBytes: Math.floor(env.availableBytes * (1 - margin)), margin };
}

/**
 * Sample fraction and worker count for a frame of `frameBytes` (of which `indexBytes` do not scale
 * with the rows: a read with skiprows keeps a RangeIndex).
 */
export function planSubsample(frameBytes: number, indexBytes: number, env: Environment): SubsamplePlan {
  const { budgetBytes, margin } = budget(env);
  const workers = Math.max(1, Math.floor(env.workers ?? env.cores));
  const copies = copiesFor(workers);
  const perCopy = budgetBytes / copies;
  const scalable = Math.max(1, frameBytes - indexBytes);
  const fraction = perCopy >= frameBytes ? 1 : floorTwoDigits(Math.max(0, perCopy - indexBytes) / scalable);
  const wholeCopies = frameBytes > 0 ? Math.floor(budgetBytes / frameBytes) : Number.MAX_SAFE_INTEGER;
  // n_jobs=1 needs one copy; n_jobs=N>1 needs N+1.
  const fitting = wholeCopies < 1 ? 0 : wholeCopies === 1 || wholeCopies === 2 ? 1 : wholeCopies - 1;
  // More workers than cores only adds copies, so the answer stops at the core count (n_jobs=-1).
  const maxWorkersFullSize = Math.min(fitting, Math.max(1, env.cores));
  return {
    availableBytes: env.availableBytes,
    budgetBytes,
    safetyMargin: margin,
    workers,
    copies,
    frameBytes,
    sampleFraction: fraction,
    sampleFrameBytes: Math.round(indexBytes + fraction * scalable),
    maxWorkersFullSize,
  };
}

/** Rounds a row count down to one or two leading digits (100_000, 250_000, 1_200_000). */
function niceRows(rows: number): number {
  if (rows < 10) return Math.max(1, Math.floor(rows));
  const scale = 10 ** (Math.floor(Math.log10(rows)) - 1);
  return Math.floor(rows / scale) * scale;
}

/**
 * When one planned frame does not fit: the heaviest columns to leave out so the rest fits, and the
 * chunk size that keeps a streamed chunk within a tenth of the budget.
 */
export function planFit(plan: DowncastPlan, rows: number, env: Environment): FitPlan {
  const { budgetBytes } = budget(env);
  const fits = plan.suggestedTotalBytes <= budgetBytes;
  if (fits) return { budgetBytes, fits, usecols: null, chunks: null };
  const byWeight = [...plan.columns].sort((a, b) => b.plannedBytes - a.plannedBytes);
  const drop = new Set<string>();
  let bytes = plan.suggestedTotalBytes;
  for (const c of byWeight) {
    if (bytes <= budgetBytes || drop.size === plan.columns.length - 1) break;
    drop.add(c.name);
    bytes -= c.plannedBytes;
  }
  const usecols: UsecolsOption | null =
    bytes <= budgetBytes
      ? { keep: plan.columns.filter((c) => !drop.has(c.name)).map((c) => c.name), drop: [...drop], bytes }
      : null;
  const perRow = rows > 0 ? (plan.suggestedTotalBytes - plan.indexBytes) / rows : 0;
  const chunkRows = perRow > 0 ? niceRows((budgetBytes / 10 - plan.indexBytes) / perRow) : 0;
  const chunks =
    chunkRows >= 1 ? { chunksize: chunkRows, chunkBytes: Math.round(plan.indexBytes + chunkRows * perRow) } : null;
  return { budgetBytes, fits, usecols, chunks };
}
