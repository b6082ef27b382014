/**
 * Message contracts of Headroom: the data shapes that cross a runtime boundary, and the messages
 * between the extension host and its webviews (and between the engine and its piscina workers).
 *
 * Every channel has one union per direction, discriminated on `type`, and every union says its
 * direction. This file is pure types plus tiny validators: it is compiled into the host, the CLI,
 * the workers and the webview bundles alike, so it must not import `vscode`, Node or DOM APIs.
 */

// #region resources ---------------------------------------------------------------------------

/** One reading of the machine. Produced by core's ResourceSampler; printed by `headroom monitor --json`. */
export interface ResourceSample {
  /** Milliseconds since the epoch when the reading was taken. */
  timestamp: number;
  cpu: {
    /** Busy share of all cores since the previous sample, 0..100. */
    percent: number;
    /** Busy share of each logical core since the previous sample, 0..100. */
    cores: number[];
  };
  memory: {
    /** Physical memory, or the container's memory limit when that is lower. */
    totalBytes: number;
    /** What a new process can still get without swapping: MemAvailable (or limit - usage in a container). */
    availableBytes: number;
    /** totalBytes - availableBytes. */
    usedBytes: number;
    /** Where totalBytes comes from. */
    source: 'host' | 'cgroup';
    /** The host's physical memory, also when a cgroup limit is in force. */
    hostTotalBytes: number;
  };
  swap: { totalBytes: number; usedBytes: number };
  /** NVIDIA GPUs; empty when there is none, when nvidia-smi is missing, or in status-only sampling. */
  gpus: GpuSample[];
}

export interface GpuSample {
  index: number;
  name: string;
  /** 0..100, null when the driver does not say. */
  utilizationPercent: number | null;
  memoryTotalBytes: number | null;
  memoryUsedBytes: number | null;
  temperatureC: number | null;
}

/** CPU and memory of one running tuning trial, as the Resources view lists it. */
export interface TrialUsage {
  runId: string;
  trialId: string;
  label: string;
  cpuPercent: number;
  rssBytes: number;
}

/** Host -> Resources webview view. */
export type ResourcesHostMessage =
  | { type: 'init'; history: ResourceSample[]; historySeconds: number; intervalMs: number }
  | { type: 'sample'; sample: ResourceSample }
  | { type: 'settings'; historySeconds: number; intervalMs: number }
  | { type: 'trials'; trials: TrialUsage[] };

/** Resources webview view -> host. */
export type ResourcesWebviewMessage = { type: 'ready' } | { type: 'openSettings' };

// #endregion
// #region datasets (footprint panel, Datasets view) -------------------------------------------

/** One column as the dataset panel shows it; bytes are memory_usage(deep=True) under the model. */
export interface DatasetColumnView {
  name: string;
  dtype: string;
  bytes: number;
  nulls: number;
  distinct: number | null;
  highCardinality: boolean;
  min: number | null;
  max: number | null;
  suggestion: { dtype: string; bytes: number; reason: string } | null;
}

/** A scanned file with its downcast plan, as the panel renders it. */
export interface DatasetView {
  file: string;
  /** The path as shown (workspace-relative when inside the workspace). */
  label: string;
  format: 'csv' | 'tsv' | 'parquet';
  compression: 'gzip' | null;
  fileBytes: number;
  rows: number;
  indexBytes: number;
  totalBytes: number;
  suggestedTotalBytes: number;
  savedPercent: number;
  columns: DatasetColumnView[];
  model: { pandas: string; python: string; pyarrow: boolean };
  /** Set when the model is a default or an override, saying why. */
  modelNote: string | null;
  mode: 'exact' | 'quick';
  uncertaintyPercent: number;
  warnings: string[];
  elapsedMs: number;
  /** Python applying the plan at load time; its footprint is suggestedTotalBytes. */
  code: string;
  /** Mostly-zero columns as SparseDtype, applied after loading; null when none. */
  sparseCode: string | null;
  sparseSavedBytes: number;
}

/** What fits in the memory available now: sample fraction, n_jobs, and the fallbacks when nothing fits. */
export interface DatasetMemoryPlan {
  availableBytes: number;
  budgetBytes: number;
  safetyMargin: number;
  workers: number;
  cores: number;
  copies: number;
  frameBytes: number;
  sampleFraction: number;
  sampleFrameBytes: number;
  maxWorkersFullSize: number;
  sampleCode: string | null;
  fits: boolean;
  usecols: { keep: string[]; drop: string[]; bytes: number } | null;
  usecolsCode: string | null;
  chunks: { chunksize: number; chunkBytes: number } | null;
  chunksCode: string | null;
}

/** Which generated snippet a Copy / Insert button refers to. */
export type DatasetSnippet = 'code' | 'sample' | 'usecols' | 'chunks' | 'sparse';

/** Host -> dataset panel. */
export type DatasetHostMessage =
  | { type: 'loading'; label: string; phase: 'quick' | 'exact'; fraction: number }
  | { type: 'result'; view: DatasetView; refining: boolean }
  | { type: 'memory'; plan: DatasetMemoryPlan | null }
  | { type: 'error'; message: string; hint: string | null }
  /** `snippet`: the code block whose Copy / Insert button it answers (the note shows next to it). */
  | { type: 'notice'; text: string; snippet?: DatasetSnippet };

/** Dataset panel -> host. */
export type DatasetWebviewMessage =
  | { type: 'ready' }
  | { type: 'copy'; snippet: DatasetSnippet }
  | { type: 'insert'; snippet: DatasetSnippet }
  | { type: 'refresh' }
  | { type: 'cancel' }
  | { type: 'setWorkers'; workers: number };

export const DATASET_WEBVIEW_MESSAGES: readonly DatasetWebviewMessage['type'][] = [
  'ready',
  'copy',
  'insert',
  'refresh',
  'cancel',
  'setWorkers',
];

// #endregion
// #region footprint-worker (footprint engine <-> its piscina workers) --------------------------

/** How a footprint worker tokenizes: set once per file by the engine from the header it read. */
export interface FootprintScanSettings {
  /** Field separator byte (44 ',' or 9 tab). */
  delimiter: number;
  /** Fields a record may have: the header's count, plus one when the first column is the index. */
  ncols: number;
  /** Whole-field NA spellings of the pandas version being modelled. */
  naSpellings: string[];
  encoding: 'utf8' | 'latin1' | 'cp1252';
  /** Rows per statistics micro-block, a divisor of pandas' low_memory block. */
  microRows: number;
  /** Absolute row number of the first record when known (micro-blocks then align to it). */
  firstRow: number | null;
  /** Distinct values tracked per column before it counts as high-cardinality. */
  distinctCap: number;
  /** Stop after this many records (read_csv nrows); null for all. */
  maxRows: number | null;
  /**
   * Columns (1) whose distinct values need no tracking: another range already found more than
   * `distinctCap`, so the file's column is high-cardinality whatever this range holds.
   */
  skipDistinct?: number[];
}

/** A failure pandas would also hit, found in a worker's range (the engine words the message). */
export interface FootprintScanProblem {
  kind: 'ragged' | 'encoding' | 'eof-in-quotes' | 'record-too-long';
  /** Absolute byte offset (plain files) or decompressed offset (gzip) of the record or bad byte. */
  offset: number;
  expected?: number;
  saw?: number;
  byte?: number;
}

/** Engine -> worker: scan one byte range of a file (or a whole gzip stream). */
export interface FootprintWorkerTask {
  type: 'scan-range';
  path: string;
  compression: 'gzip' | null;
  /** First byte (decompressed offset for gzip) of the range. */
  start: number;
  /** Records starting at or after this offset belong to the next range. */
  end: number;
  /** true: `start` is a guess; begin at the first line start at or after it (validated by the engine). */
  speculative: boolean;
  settings: FootprintScanSettings;
}

/** Worker -> engine: additive statistics of the records that start inside the range. */
export interface FootprintWorkerResult {
  type: 'range-result';
  /** Offset of the first record scanned and of the first record not scanned. */
  start: number;
  end: number;
  rows: number;
  /** Per micro-block: rows and byte offset of its first record; stats are ncols*K numbers each. */
  microRowCounts: number[];
  microStarts: number[];
  microStats: Float64Array;
  /** ncols*GK whole-range statistics (min, max, zeros, float32 error, ...). */
  globals: Float64Array;
  /** Distinct values per column in first-seen order; null once past the cap. */
  distinct: (string[] | null)[];
  problem: FootprintScanProblem | null;
  /** Bytes read from disk (compressed bytes for gzip), for progress. */
  bytesRead: number;
}

/** Engine -> worker: read one Parquet column for what its metadata does not say. */
export interface ParquetColumnTask {
  type: 'parquet-column';
  path: string;
  /** The column's index among the leaf columns. */
  leaf: number;
  read: 'text' | 'number';
  /** Text: also collect the distinct values (up to the cap). */
  distinct: boolean;
  /** Quick mode: read only the pages within the first `prefixBytes` of these row groups. */
  sample: { groups: number[]; prefixBytes: number } | null;
}

/** A sampled text page's counts (quick mode: each page estimates the column on its own). */
export interface ParquetTextPage {
  rows: number;
  nulls: number;
  classes: number[];
  utf8: number;
}

/** Worker -> engine: a text column's counts. */
export interface ParquetTextResult {
  type: 'parquet-text';
  rows: number;
  nulls: number;
  /** Values and code points per CPython str width class: [ascii n, cp, latin-1 n, cp, ucs-2 n, cp, ucs-4 n, cp]. */
  classes: number[];
  utf8: number;
  /** Validity bytes pandas 3 counts: one bitmap per row group that holds a null. */
  validity: number;
  /** Distinct values (UTF-8 bytes as latin1 text) with their UTF-8 lengths, in first-seen order; null past the cap. */
  distinct: [string, number][] | null;
  /** The shape (dateShape.ts) every non-null value has as a date; 0 when no value, -1 when none or several. */
  dateShape: number;
  /** When sampled: the counts of each page read. */
  pages: ParquetTextPage[] | null;
}

/** Worker -> engine: a number column's counts for the downcast advice. */
export interface ParquetNumberResult {
  type: 'parquet-number';
  zeros: number;
  allIntegral: boolean;
  maxRelativeError: number;
  preservesWrittenPrecision: boolean;
}

export type ParquetColumnResult = ParquetTextResult | ParquetNumberResult;

// #endregion
// #region hints (Python files and notebooks) ---------------------------------------------------

// #endregion
// #region tuning-engine (tuning engine <-> its piscina workers, run events) --------------------

/** A hyperparameter value as it appears in a spec and in a trial's params. */
export type ParamValue = string | number | boolean | null;

/** Where a trial stands. `killed` is set by the memory guard or the budget; `cached` reuses an earlier result. */
export type TrialStatus =
  'queued' | 'running' | 'done' | 'failed' | 'timeout' | 'killed' | 'pruned' | 'cached' | 'cancelled';

/** Where a run stands. `interrupted`: its engine went away (crash, reload) before it finished; resumable. */
export type RunStatus = 'running' | 'done' | 'failed' | 'stopped' | 'interrupted';

/** One line of `trials.jsonl`: the final state of one attempt of one trial. */
export interface TrialRecord {
  runId: string;
  /** Stable across attempts and resumes, e.g. "t0007" (grid/random) or "r1-t0003" (halving rung 1). */
  trialId: string;
  /** 1 for the first attempt; a trial killed for memory pressure is rerun with attempt + 1. */
  attempt: number;
  params: Record<string, ParamValue>;
  /** Halving rung (0 for grid/random). */
  rung: number;
  /** Share of the data this trial sees: sample x halving rung fraction (1 without either). */
  fraction: number;
  status: TrialStatus;
  /** False when the trial will run again (memory-pressure kill, cancel): resume and the cache ignore it. */
  final: boolean;
  /** Final metrics as the trial reported them. */
  metrics: Record<string, number>;
  /** The spec's metric taken from `metrics`, or null when missing. */
  value: number | null;
  intermediate: { step: number; metrics: Record<string, number> }[];
  exitCode: number | null;
  signal: string | null;
  /** Why it did not succeed, in words ("exit code 1", "timeout after 30 s", "killed: memory pressure"). */
  error: string | null;
  startedAt: number;
  endedAt: number;
  wallMs: number;
  /** User + system CPU time of the whole process tree. */
  cpuMs: number;
  /** Peak resident set of the whole process tree (sampled, and the kernel's maxrss when known). */
  peakRssBytes: number;
  /** Peak proportional set size of the tree (Linux smaps_rollup); null elsewhere. */
  peakPssBytes: number | null;
  /** Relative to the run directory, e.g. "logs/t0007.log". */
  logFile: string;
  /** Bytes of output dropped to keep the log bounded. */
  logDroppedBytes: number;
  /** Hash of script/module content, params, fraction and data file: what the cache matches. */
  cacheKey: string;
  /** Set on `cached` records: the run and trial the result came from. */
  cachedFrom?: { runId: string; trialId: string };
}

/**
 * Why concurrency is what it is. `memory`: available RAM; `budget`: the run's memoryBudget; `probe`: no
 * measurement yet; `check`: the first trial runs alone until it shows the script works.
 */
export type ConcurrencyBound = 'cpu' | 'memory' | 'budget' | 'probe' | 'guard' | 'workers' | 'queue' | 'rung' | 'check';

/** An admission decision, emitted whenever concurrency or its reason changes (a panel plots these). */
export interface ConcurrencyDecision {
  at: number;
  /** Trials the engine allows at once now. */
  allowed: number;
  /** CPU slots: cores / threadsPerTrial (or `workers` when set). */
  slots: number;
  running: number;
  bound: ConcurrencyBound;
  availableBytes: number;
  /** The forecast memory of the next trial. */
  perTrialBytes: number;
  budgetBytes: number;
  /** In words, e.g. "3 of 8 slots: memory-bound, 2.1 GiB available, 1.9 GiB per trial". */
  reason: string;
}

export interface RunBest {
  trialId: string;
  params: Record<string, ParamValue>;
  metrics: Record<string, number>;
  value: number;
}

/** What `listRuns` and the final `runFinished` event carry. */
export interface RunSummary {
  runId: string;
  name: string;
  specPath: string;
  runDir: string;
  status: RunStatus;
  metric: string;
  mode: 'max' | 'min';
  search: 'grid' | 'random' | 'halving';
  startedAt: number;
  endedAt: number | null;
  /** Trials the search plans (all rungs for halving). */
  total: number;
  counts: Partial<Record<TrialStatus, number>>;
  best: RunBest | null;
  /** Why the run failed as a whole (e.g. its first trials all failed the same way); absent otherwise. */
  error?: string;
}

/** Live usage of a running trial's process tree (about once a second). */
export interface TrialUsageSample {
  trialId: string;
  pid: number;
  rssBytes: number;
  pssBytes: number | null;
  cpuPercent: number;
}

/** Engine -> its listeners (VS Code faces, CLI --json). One per line in `headroom tune --json`. */
export type RunEvent =
  | {
      type: 'runStarted';
      at: number;
      runId: string;
      runDir: string;
      name: string;
      total: number;
      resumed: boolean;
      skipped: number;
    }
  | {
      type: 'trialQueued';
      at: number;
      trialId: string;
      params: Record<string, ParamValue>;
      rung: number;
      fraction: number;
      attempt: number;
    }
  | {
      type: 'trialStarted';
      at: number;
      trialId: string;
      attempt: number;
      pid: number;
      forecastBytes: number;
      /** Relative to the run directory, as TrialRecord.logFile: the log is there while the trial runs. */
      logFile?: string;
    }
  | { type: 'trialProgress'; at: number; trialId: string; step: number; metrics: Record<string, number> }
  | { type: 'trialUsage'; at: number; usage: TrialUsageSample[] }
  | { type: 'trialFinished'; at: number; record: TrialRecord; best: RunBest | null }
  | { type: 'concurrency'; at: number; decision: ConcurrencyDecision }
  | { type: 'memoryGuard'; at: number; trialId: string; availableBytes: number; criticalBytes: number; action: string }
  | { type: 'rung'; at: number; rung: number; fraction: number; candidates: number }
  | { type: 'log'; at: number; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'runFinished'; at: number; summary: RunSummary };

/** Engine (main thread) -> tuning worker thread, over the MessagePort handed with each trial task. */
export type TrialControlMessage =
  | { type: 'kill'; reason: 'timeout' | 'memory' | 'budget' | 'cancel' | 'prune' }
  | { type: 'pruneDecision'; prune: boolean };

/** Tuning worker thread -> engine, over the trial's MessagePort. */
export type TrialWorkerMessage =
  | { type: 'spawned'; pid: number; fresh: boolean }
  /** `wait`: the trial blocks until the engine answers with a pruneDecision. */
  | { type: 'report'; step: number; metrics: Record<string, number>; wait: boolean }
  | { type: 'usage'; usage: TrialUsageSample };

// #endregion
// #region tuning-ui (run panel, Runs view) -----------------------------------------------------

/** What the faces know about a run besides its trials (from its summary, then from its events). */
export interface RunHeader {
  runId: string;
  name: string;
  runDir: string;
  specPath: string;
  metric: string;
  mode: 'max' | 'min';
  search: 'grid' | 'random' | 'halving';
  status: RunStatus;
  startedAt: number;
  endedAt: number | null;
  total: number;
  /** Why the run failed as a whole (RunSummary.error). */
  error?: string;
}

/** One row of the run panel's table / one trial of the Runs view: the latest attempt of a trial. */
export interface RunTrialRow {
  /** Arrival order: the table's default order and the sort's tie-breaker. */
  seq: number;
  trialId: string;
  attempt: number;
  params: Record<string, ParamValue>;
  rung: number;
  fraction: number;
  status: TrialStatus;
  value: number | null;
  metrics: Record<string, number>;
  startedAt: number | null;
  endedAt: number | null;
  wallMs: number | null;
  cpuMs: number | null;
  peakRssBytes: number | null;
  /** Live readings while the trial runs. */
  rssBytes: number | null;
  cpuPercent: number | null;
  /** Latest intermediate step reported. */
  step: number | null;
  error: string | null;
  logFile: string | null;
  cachedFrom: { runId: string; trialId: string } | null;
}

/** The run's resource timeline: sums over its running trials at one moment. */
export interface RunUsagePoint {
  at: number;
  rssBytes: number;
  cpuPercent: number;
  running: number;
}

export interface RunRungInfo {
  rung: number;
  fraction: number;
  candidates: number;
}

/** Everything the run panel draws, sent once when it (re)opens; events follow. */
export interface RunPanelSnapshot {
  header: RunHeader;
  rows: RunTrialRow[];
  best: RunBest | null;
  decisions: ConcurrencyDecision[];
  usage: RunUsagePoint[];
  rungs: RunRungInfo[];
  /** Workspace Trust: resume is offered only in a trusted workspace. */
  trusted: boolean;
}

/** Host -> run panel (webview). `events` are the engine's RunEvents, batched (at most ~10 messages a second). */
export type RunPanelHostMessage =
  | { type: 'snapshot'; snapshot: RunPanelSnapshot }
  | { type: 'events'; events: RunEvent[] }
  | { type: 'trust'; trusted: boolean };

/** Run panel (webview) -> host. */
export type RunPanelWebviewMessage =
  | { type: 'ready' }
  | { type: 'stop' }
  | { type: 'resume' }
  | { type: 'copyBestParams' }
  /** A trial's log, or the run's own log (the Headroom output) when trialId is absent. */
  | { type: 'openLog'; trialId?: string }
  /** Stop this one trial; the run goes on. */
  | { type: 'stopTrial'; trialId: string }
  | { type: 'openSpec' };

const RUN_PANEL_MESSAGES: readonly RunPanelWebviewMessage['type'][] = [
  'ready',
  'stop',
  'resume',
  'copyBestParams',
  'openLog',
  'openSpec',
  'stopTrial',
];

/** Validates a message from the run panel, fields included. */
export function isRunPanelMessage(value: unknown): value is RunPanelWebviewMessage {
  if (!isMessageOf<RunPanelWebviewMessage>(value, RUN_PANEL_MESSAGES)) return false;
  if (value.type !== 'openLog' && value.type !== 'stopTrial') return true;
  const trialId = (value as { trialId?: unknown }).trialId;
  if (trialId === undefined) return value.type === 'openLog';
  return typeof trialId === 'string' && /^[\w.-]{1,100}$/.test(trialId);
}

/** The state a run panel saves with VS Code, so the panel comes back after a window reload. */
export interface RunPanelState {
  runId: string;
  /** Workspace folder that holds .headroom/runs/<runId>. */
  workspace: string;
  sort?: { column: string; direction: 'asc' | 'desc' };
  filter?: string;
}

// #endregion
// #region validation ---------------------------------------------------------------------------

/**
 * Narrow an unknown value received over postMessage to a message of `allowed` types.
 * Webviews are a trust boundary: the host drops anything that is not a known message.
 */
export function isMessageOf<T extends { type: string }>(value: unknown, allowed: readonly T['type'][]): value is T {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    (allowed as readonly string[]).includes((value as { type: string }).type)
  );
}

// #endregion
