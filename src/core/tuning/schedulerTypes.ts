/** State shapes of the run scheduler, and the task a trial becomes. */
import type { MessagePort } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import type { ClusterNode, ConcurrencyDecision, TrialUsageSample } from './events';
import type { TrialRecord } from './runFiles';
import type { TrialWorkerMessage } from './workerProtocol';
import { MessageChannel } from 'node:worker_threads';
import type { SpecFingerprint } from './cache';
import { emptyOutcome, type PlannedTrial, type ResolvedSpec, type TrialOutcome, type TrialTask } from './types';

export interface SchedulerConfig {
  slots: number;
  cores: number;
  workersFixed: boolean;
  budgetBytes: number;
  reserveBytes: number;
  criticalBytes: number;
  dataEstimateBytes: number | null;
  runtimeDir: string;
  logLimitBytes: number;
  sampleIntervalMs: number;
  guardIntervalMs: number;
  pruneMinTrials: number;
  maxMemoryAttempts: number;
  useCache: boolean;
  /** False skips the check before launch (launchCheck.ts); default on. */
  launchCheck?: boolean;
}

export interface Queued extends PlannedTrial {
  attempt: number;
  /** After a memory kill: at least what this trial was seen to use. */
  minForecast: number;
}

export interface Running {
  q: Queued;
  port: MessagePort;
  pid: number;
  startedAt: number;
  forecastBytes: number;
  currentBytes: number;
  peakBytes: number;
  timer: NodeJS.Timeout | null;
  kill: 'timeout' | 'memory' | 'budget' | 'cancel' | 'prune' | null;
  killNote: string | null;
  requeue: boolean;
  pruned: boolean;
  intermediate: TrialRecord['intermediate'];
  usage: TrialUsageSample | null;
  /** Relative to the run directory. */
  logFile?: string;
  /** Stopped on its own by the user (Stop Trial): final, the run goes on. */
  stoppedAlone?: boolean;
}

export interface RunSnapshot {
  running: {
    trialId: string;
    attempt: number;
    pid: number;
    startedAt: number;
    params: PlannedTrial['params'];
    forecastBytes: number;
    /** The Ray node it runs on (cluster runs only). */
    node?: string;
  }[];
  queued: { trialId: string; attempt: number; params: PlannedTrial['params'] }[];
  decision: ConcurrencyDecision | null;
  rung: number;
  /** Cluster runs: the nodes as last reported. */
  cluster?: ClusterNode[];
}

export type WorkerOutcome = TrialOutcome & { workerFailed?: boolean };

export function buildTask(
  spec: ResolvedSpec,
  cfg: SchedulerConfig,
  fp: SpecFingerprint,
  q: Queued,
  logPath: string,
  run: { runId: string; runDir: string },
): TrialTask {
  return {
    kind: spec.kind,
    trialId: q.trialId,
    attempt: q.attempt,
    python: spec.python,
    cwd: spec.cwd,
    entryFile: spec.entryFile,
    objective: spec.objective,
    args: spec.args,
    // The marker the memory-by-owner crawl (core/monitor/owners.ts) knows a run's processes by.
    env: { ...spec.env, HEADROOM_RUN_ID: run.runId, HEADROOM_RUN_DIR: run.runDir },
    params: q.params,
    fraction: q.fraction,
    seed: spec.seed,
    metric: spec.metric,
    prune: spec.prune === 'median',
    threadsPerTrial: spec.resources.threadsPerTrial,
    runtimeDir: cfg.runtimeDir,
    logPath,
    logLimitBytes: cfg.logLimitBytes,
    sampleIntervalMs: cfg.sampleIntervalMs,
    // Same interpreter, same module content: an objective worker process can be reused.
    workerKey: `${spec.python}|${spec.entryFile}|${fp.entryHash}`,
  };
}

/** Hands a trial to the pool with its own MessagePort; a worker crash becomes a failed outcome. */
export function dispatch(
  pool: Piscina,
  task: TrialTask,
  onMessage: (m: TrialWorkerMessage) => void,
): { port: MessagePort; outcome: Promise<WorkerOutcome> } {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', onMessage);
  const startedAt = Date.now();
  const run = pool.run({ task, port: port2 }, { transferList: [port2] }) as Promise<WorkerOutcome>;
  const outcome = run.catch((error: unknown): WorkerOutcome => ({
    ...emptyOutcome({
      status: 'failed',
      error: `tuning worker failed: ${error instanceof Error ? error.message : String(error)}`,
      startedAt,
    }),
    // The pool itself failed (e.g. its bundle is gone): every other trial would fail the same way.
    workerFailed: true,
  }));
  return { port: port1, outcome };
}
