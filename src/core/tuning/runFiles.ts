/**
 * What a run's files hold, as runStore.ts writes them: the statuses in run.json and one line of
 * trials.jsonl (TrialRecord). Read back by the engine (resume, cache), the VS Code faces and the CLI.
 * Pure types, shared with the run panel webview.
 */

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
  /** User + system CPU time of the whole process tree; null when nothing measured it (no sample, no exit status). */
  cpuMs: number | null;
  /**
   * Peak resident set of the whole process tree (sampled, and the kernel's maxrss when known); null when
   * the trial ended before anything measured it (a crash at start, an attempt lost with its node).
   */
  peakRssBytes: number | null;
  /** Peak proportional set size of the tree (Linux smaps_rollup); null elsewhere. */
  peakPssBytes: number | null;
  /** Relative to the run directory, e.g. "logs/t0007.log". */
  logFile: string;
  /** Bytes of output dropped to keep the log bounded. */
  logDroppedBytes: number;
  /** Hash of script/module content, params, fraction and data file: what the cache matches. */
  cacheKey: string;
  /** The Ray node this attempt ran on (cluster runs only), e.g. "10.0.0.5/3fa2b1". */
  node?: string;
  /** Set on `cached` records: the run and trial the result came from. */
  cachedFrom?: { runId: string; trialId: string };
}
