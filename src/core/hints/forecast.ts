/**
 * Forecast of the peak memory of a parallel scikit-learn / joblib call on a frame Headroom has sized.
 *
 * Process-based calls (searches, cross-validation, joblib.Parallel; joblib's loky backend):
 *   peak = P + S + W x (C + F + E)
 *   P  the parent's frame (deep bytes, as the footprint engine sizes it)
 *   S  joblib's memory map: numeric arrays over 1 MB are dumped once to shared memory and mapped
 *      read-only by every worker (counted once)
 *   C  what is pickled into every worker: object/str columns (and everything when the numeric part
 *      is under joblib's 1 MB threshold)
 *   F  the fold's copies: the training slice ((k-1)/k of the frame) plus the test slice (1/k)
 *   E  the estimator's working copies of the training slice: the validated float64 array and one
 *      preprocessing copy (centering, scaling or a dtype conversion): 2 x (k-1)/k x rows x numeric cols x 8.
 *      Measured on Ridge and RandomForest searches (test/integration/hints): without the second copy
 *      the forecast fell 18-22% short of the measured peak.
 * Thread-based estimators (RandomForest*, ExtraTrees*, KNeighbors*) share the frame between threads:
 *   forests: P + float32 copy of X + W x rows x 8 (each tree's bootstrap sample weights);
 *   neighbors: P + float64 copy of X + W x one distance chunk (scikit-learn's working_memory, 1 GiB).
 * Not counted: each worker's Python interpreter and imports, and the estimator's own model arrays.
 */
import type { FootprintResult } from '../footprint/types';
import type { ParallelCall } from './types';

/** joblib's default `max_nbytes` above which numpy arrays are memory-mapped instead of pickled. */
export const JOBLIB_MEMMAP_THRESHOLD = 1024 * 1024;
/** scikit-learn's default `working_memory` (MiB) for chunked pairwise distances. */
export const SKLEARN_WORKING_MEMORY = 1024 * 1024 * 1024;
/** Share of available memory a suggested n_jobs leaves free (the advisor's margin too). */
export const SAFETY_MARGIN = 0.2;
const DEFAULT_FOLDS = 5;

/** What the forecast needs to know about the frame. */
export interface FrameFacts {
  totalBytes: number;
  rows: number;
  /** Deep bytes of numpy-backed numeric/bool/datetime columns (memory-mappable). */
  numericBytes: number;
  /** Deep bytes of everything else (object, str, category, index). */
  otherBytes: number;
  numericColumns: number;
}

const NUMERIC = /^(u?int\d+|float\d+|bool|datetime64.*|timedelta64.*|U?Int\d+|Float\d+|boolean)$/;

export function frameFacts(
  result: Pick<FootprintResult, 'totalBytes' | 'rows' | 'columns' | 'indexBytes'>,
): FrameFacts {
  let numericBytes = 0;
  let numericColumns = 0;
  for (const c of result.columns) {
    if (NUMERIC.test(c.dtype)) {
      numericBytes += c.bytes;
      numericColumns++;
    }
  }
  return {
    totalBytes: result.totalBytes,
    rows: result.rows,
    numericBytes,
    otherBytes: result.totalBytes - numericBytes,
    numericColumns,
  };
}

export interface ForecastEnvironment {
  /** Logical cores: what n_jobs=-1 means. */
  cpus: number;
  availableBytes: number;
}

export interface Forecast {
  call: string;
  workers: number;
  backend: 'processes' | 'threads';
  folds?: number;
  parentBytes: number;
  sharedBytes: number;
  perWorkerBytes: number;
  peakBytes: number;
  availableBytes: number;
  fits: boolean;
  /**
   * Largest n_jobs worth setting: its peak stays within (1 - SAFETY_MARGIN) of available memory, and
   * no more than can run (the cores; cross-validation: the folds). 0 if even one does not fit.
   */
  maxFittingJobs: number;
  /** What sets maxFittingJobs: memory, the cores, or the folds (one task per fold). */
  jobsLimit?: 'memory' | 'cores' | 'folds';
  /** One line per term, for the hover. */
  terms: string[];
}

/** How many workers joblib starts for an n_jobs value (None/1: none, run in the parent). */
export function workersFor(nJobs: number | null | undefined, cpus: number): number {
  if (nJobs === undefined || nJobs === null || nJobs === 0) return 1;
  if (nJobs < 0) return Math.max(1, cpus + 1 + nJobs);
  return nJobs;
}

interface Parts {
  backend: Forecast['backend'];
  folds?: number;
  shared: number;
  perWorker: number;
  parentExtra: number;
  terms: string[];
  maxWorkers?: number;
}

function parts(call: ParallelCall, f: FrameFacts, fmt: (n: number) => string): Parts {
  const values = f.rows * f.numericColumns;
  if (call.kind === 'forest') {
    const perWorker = f.rows * 8;
    return {
      backend: 'threads',
      shared: 0,
      parentExtra: values * 4,
      perWorker,
      terms: [`float32 copy of X: ${fmt(values * 4)}`, `per thread: bootstrap sample weights ${fmt(perWorker)}`],
    };
  }
  if (call.kind === 'neighbors') {
    const perWorker = Math.min(SKLEARN_WORKING_MEMORY, f.rows * f.rows * 8);
    return {
      backend: 'threads',
      shared: 0,
      parentExtra: values * 8,
      perWorker,
      terms: [`float64 copy of X: ${fmt(values * 8)}`, `per thread: one distance chunk ${fmt(perWorker)}`],
    };
  }
  const mapped = f.numericBytes > JOBLIB_MEMMAP_THRESHOLD;
  const shared = mapped ? f.numericBytes : 0;
  const pickled = mapped ? f.otherBytes : f.totalBytes;
  const terms = [
    mapped
      ? `memory-mapped numeric data (shared once): ${fmt(shared)}`
      : 'numeric data under 1 MiB: pickled, not memory-mapped',
    `pickled into each worker: ${fmt(pickled)}`,
  ];
  if (call.kind === 'joblib') return { backend: 'processes', shared, perWorker: pickled, parentExtra: 0, terms };
  const folds = call.cv ?? DEFAULT_FOLDS;
  const train = (folds - 1) / folds;
  const foldCopy = f.totalBytes;
  const estimatorCopy = 2 * train * values * 8;
  terms.push(
    `fold copies (train ${folds - 1}/${folds} + test 1/${folds}): ${fmt(foldCopy)}`,
    `estimator's working copies of the training slice (validated + preprocessed, float64): ${fmt(estimatorCopy)}`,
  );
  // cross_val_* runs one task per fold: more workers than folds stay idle.
  const maxWorkers = call.kind === 'cross-validation' ? folds : undefined;
  return {
    backend: 'processes',
    folds,
    shared,
    perWorker: pickled + foldCopy + estimatorCopy,
    parentExtra: 0,
    terms,
    maxWorkers,
  };
}

export function forecastParallel(
  call: ParallelCall,
  frame: FrameFacts,
  env: ForecastEnvironment,
  fmt: (n: number) => string = (n) => `${n} B`,
): Forecast {
  const p = parts(call, frame, fmt);
  const requested = workersFor(call.nJobs?.value, env.cpus);
  const workers = p.maxWorkers ? Math.min(requested, p.maxWorkers) : requested;
  const parentBytes = frame.totalBytes + p.parentExtra;
  const peakFor = (w: number) => parentBytes + p.shared + w * p.perWorker;
  const peakBytes = peakFor(workers);
  const budget = env.availableBytes * (1 - SAFETY_MARGIN);
  const fixed = parentBytes + p.shared;
  let maxFittingJobs = 0;
  let jobsLimit: Forecast['jobsLimit'] = 'memory';
  if (fixed + p.perWorker <= budget) {
    const byMemory = p.perWorker === 0 ? Infinity : Math.floor((budget - fixed) / p.perWorker);
    // More workers than cores (or folds) only wait: memory alone would suggest 16001 on 2 cores.
    const runnable = Math.min(env.cpus, p.maxWorkers ?? Infinity);
    maxFittingJobs = Math.min(byMemory, runnable);
    if (byMemory > runnable) jobsLimit = p.maxWorkers !== undefined && p.maxWorkers < env.cpus ? 'folds' : 'cores';
  }
  return {
    call: call.name,
    workers,
    backend: p.backend,
    folds: p.folds,
    parentBytes,
    sharedBytes: p.shared,
    perWorkerBytes: p.perWorker,
    peakBytes,
    availableBytes: env.availableBytes,
    fits: peakBytes <= env.availableBytes,
    maxFittingJobs,
    jobsLimit,
    terms: [`parent's frame: ${fmt(frame.totalBytes)}`, ...p.terms],
  };
}

/** Workers of an outer parallel call times those of the parallel estimators inside it, against the cores. */
export interface Oversubscription {
  outer: string;
  inner: string;
  outerWorkers: number;
  innerWorkers: number;
  cpus: number;
}

export function nestedParallelism(call: ParallelCall, cpus: number): Oversubscription[] {
  const outerWorkers = workersFor(call.nJobs?.value, cpus);
  if (outerWorkers <= 1) return [];
  return call.inner
    .map((inner) => ({ inner, innerWorkers: workersFor(inner.nJobs?.value, cpus) }))
    .filter(({ innerWorkers }) => innerWorkers > 1 && outerWorkers * innerWorkers > cpus)
    .map(({ inner, innerWorkers }) => ({ outer: call.name, inner: inner.name, outerWorkers, innerWorkers, cpus }));
}
