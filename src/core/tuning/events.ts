/**
 * Tuning engine -> its listeners (the VS Code faces, `headroom tune --json`): the run events and the
 * summaries they carry. Pure types, shared with the run panel webview.
 */
import type { ParamValue, RunStatus, TrialRecord, TrialStatus } from './runFiles';

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
  /** 'joblib': a user's own search recorded by headroom_runtime's backend (its own process; no resume, no logs). */
  source?: 'joblib';
}

/** Live usage of a running trial's process tree (about once a second). */
export interface TrialUsageSample {
  trialId: string;
  pid: number;
  rssBytes: number;
  pssBytes: number | null;
  cpuPercent: number;
}

/** One node of the Ray cluster a run uses, as the Resources view and the run panel show it. */
export interface ClusterNode {
  nodeId: string;
  /** "ADDRESS/first six of the node id": addresses repeat when nodes share a machine. */
  name: string;
  alive: boolean;
  cpuTotal: number;
  cpuFree: number;
  /** Ray's `memory` resource of the node, and what is not reserved by any task now. */
  memoryTotal: number;
  memoryFree: number;
  /** This run's trials running there, and their processes' memory as last measured. */
  trials: string[];
  trialBytes: number;
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
      /** The Ray node the trial runs on (cluster runs only). */
      node?: string;
    }
  | { type: 'trialProgress'; at: number; trialId: string; step: number; metrics: Record<string, number> }
  | { type: 'trialUsage'; at: number; usage: TrialUsageSample[] }
  | { type: 'trialFinished'; at: number; record: TrialRecord; best: RunBest | null }
  | { type: 'concurrency'; at: number; decision: ConcurrencyDecision }
  | { type: 'memoryGuard'; at: number; trialId: string; availableBytes: number; criticalBytes: number; action: string }
  | { type: 'rung'; at: number; rung: number; fraction: number; candidates: number }
  | { type: 'cluster'; at: number; address: string; nodes: ClusterNode[] }
  | { type: 'log'; at: number; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'runFinished'; at: number; summary: RunSummary };
