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

// #endregion
// #region footprint-worker (footprint engine <-> its piscina workers) --------------------------

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

/** Why concurrency is what it is. `memory`: available RAM; `budget`: the run's memoryBudget; `probe`: no measurement yet. */
export type ConcurrencyBound = 'cpu' | 'memory' | 'budget' | 'probe' | 'guard' | 'workers' | 'queue' | 'rung';

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
  | { type: 'trialStarted'; at: number; trialId: string; attempt: number; pid: number; forecastBytes: number }
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
  | { type: 'report'; step: number; metrics: Record<string, number> }
  | { type: 'usage'; usage: TrialUsageSample };

// #endregion
// #region tuning-ui (run panel, Runs view) -----------------------------------------------------

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
