/** Internal shapes of the tuning engine (the shapes that cross to the UI live in src/protocol.ts). */
import type { ParamValue } from './runFiles';
import type { PythonSource } from '../python';

export type Distribution =
  | { kind: 'choice'; values: ParamValue[] }
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'loguniform'; low: number; high: number }
  | { kind: 'int'; low: number; high: number }
  | { kind: 'fixed'; value: ParamValue };

/** A spec after validation, with defaults applied and paths made absolute. Saved as the run's spec.json. */
export interface ResolvedSpec {
  name: string;
  specPath: string;
  /** Directory of the spec: the trials' working directory and the base of relative paths. */
  cwd: string;
  /** Script mode (one process per trial) or objective mode (long-lived workers). */
  kind: 'script' | 'objective';
  /** Script mode: absolute script path. Objective mode: absolute path of the module file. */
  entryFile: string;
  /** Objective mode: module name and function name. */
  objective: { module: string; func: string } | null;
  python: string;
  /** Where `python` came from, for error messages. */
  pythonSource: PythonSource;
  /** The same in words ("the workspace's .venv (/work/.venv)"); absent in specs stored by older versions. */
  pythonFrom?: string;
  args: string[];
  env: Record<string, string>;
  params: Record<string, Distribution>;
  search: 'grid' | 'random' | 'halving';
  trials: number | null;
  seed: number;
  factor: number;
  metric: string;
  mode: 'max' | 'min';
  data: string | null;
  sample: number;
  prune: 'none' | 'median';
  cache: boolean;
  /** Where the trials run: null (or absent, in specs stored by older versions) is this machine's pool. */
  cluster?: { ray: string } | null;
  resources: {
    workers: number | 'auto';
    threadsPerTrial: number;
    memoryPerTrial: number | null;
    memoryBudget: number | null;
    timeoutMs: number | null;
  };
}

/** One planned trial (before it runs). */
export interface PlannedTrial {
  trialId: string;
  params: Record<string, ParamValue>;
  rung: number;
  fraction: number;
}

/** Engine -> tuning worker thread: everything one trial needs (sent with a MessagePort). */
export interface TrialTask {
  kind: 'script' | 'objective';
  trialId: string;
  attempt: number;
  python: string;
  cwd: string;
  entryFile: string;
  objective: { module: string; func: string } | null;
  args: string[];
  env: Record<string, string>;
  params: Record<string, ParamValue>;
  fraction: number;
  seed: number;
  metric: string;
  prune: boolean;
  threadsPerTrial: number;
  /** Directory holding the headroom_runtime package (put on PYTHONPATH). */
  runtimeDir: string;
  logPath: string;
  logLimitBytes: number;
  sampleIntervalMs: number;
  /** Identifies a reusable objective worker process: same key, same process. */
  workerKey: string;
}

/** Tuning worker thread -> engine: how the trial ended (the engine turns it into a TrialRecord). */
export interface TrialOutcome {
  status: 'done' | 'failed' | 'killed';
  metrics: Record<string, number>;
  exitCode: number | null;
  signal: string | null;
  error: string | null;
  startedAt: number;
  endedAt: number;
  /** CPU time of the trial's process tree; null when nothing measured it (no sample, no exit status). */
  cpuMs: number | null;
  /** Peak resident set of the tree; null when no sample or exit status measured it. */
  peakRssBytes: number | null;
  peakPssBytes: number | null;
  logDroppedBytes: number;
  /** What stopped it, when the engine asked (kill message) or the worker saw it. */
  killReason: 'timeout' | 'memory' | 'budget' | 'cancel' | 'prune' | null;
}

/** An outcome that ran nothing measurable yet: the base that every way a trial ends fills in. */
export function emptyOutcome(fields: Partial<TrialOutcome> & Pick<TrialOutcome, 'status' | 'startedAt'>): TrialOutcome {
  return {
    metrics: {},
    exitCode: null,
    signal: null,
    error: null,
    endedAt: Date.now(),
    cpuMs: null,
    peakRssBytes: null,
    peakPssBytes: null,
    logDroppedBytes: 0,
    killReason: null,
    ...fields,
  };
}
